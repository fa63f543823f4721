import Foundation
import Hooks
import Kube
import Lua
import Synchronization
import Testing

/// The `kube` module as hooks use it, with replay's backend (no cluster): cache reads, argument
/// errors that name the argument, `err` objects, and the ACTION lines writes print.
/// Lines collected from any thread.
final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    @Sendable func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite(.timeLimit(.minutes(1))) struct KubeModuleTests {
    /// A runtime whose hooks have `kube`, over its own cache and replay's backend.
    final class Harness: Sendable {
        let runtime: HookRuntime
        let output = HookOutput()
        let actions = Lines()

        init(_ files: [String: String], objects: ReplayObjects = ReplayObjects()) throws {
            let folder = try HooksFolder(files)
            let cache = PodCache()
            let kube = KubeHelper.offline(cache: cache, objects: objects, printAction: actions.append).kube
            // 30 s per call: these tests are not about the deadline, and a loaded machine is slow.
            let sandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(30)))
            runtime = HookRuntime(
                root: folder.root, environment: output.environment(sandbox: sandbox, modules: { [.kube(kube, for: $0)] }), cache: cache)
        }

        func run(_ watchEvents: [WatchEvent]) async throws {
            #expect(try await runtime.loadAll().isEmpty)
            await runtime.feed(watchEvents)
            await runtime.waitUntilIdle()
        }
    }

    static let world: [WatchEvent] = [
        .added(pod("web-1", rv: 1, phase: "Running", owner: "job-a")),
        .added(pod("web-2", rv: 2, phase: "Succeeded", owner: "job-a")),
        .added(pod("other", namespace: "staging", rv: 3, phase: "Running")),
    ]

    @Test func cacheReadsSeeThePodsInTheHooksScope() async throws {
        let h = try Harness(["default/reads.lua": """
            function on_add(pod)
              if pod.metadata.name ~= 'web-2' then return end
              local p = kube.pod('default', 'web-1')
              print('pod ' .. p.metadata.name .. ' ' .. p.status.phase .. ' ' .. p.metadata.ownerReferences[1].name)
              print('missing ' .. tostring(kube.pod('default', 'nope')))
              local names = {}
              for _, q in ipairs(kube.pods{phase = 'Running'}) do names[#names + 1] = q.metadata.name end
              print('running ' .. table.concat(names, ','))
              print('all ' .. #kube.pods())
              print('outside ' .. select(2, pcall(kube.pod, 'staging', 'other')))
              print('labels ' .. select(2, pcall(kube.pods, {labels = 'a in (b'})))
            end
            """])
        try await h.run(Self.world)
        #expect(h.output.texts == [
            "pod web-1 Running job-a",
            "missing nil",
            "running web-1",
            "all 2",
            "outside kube.pod: namespace staging is outside this hook's scope (namespace default)",
            #"labels bad argument 'labels' to 'kube.pods' (unable to parse requirement: found 'a in (b' in label selector "a in (b": missing ')')"#,
        ])
    }

    @Test func writesPrintOneDeterministicActionLineAndReadsAreOffline() async throws {
        let h = try Harness(["default/acts.lua": """
            function on_add(pod)
              kube.delete(pod, {propagation = 'Background', grace_period = 0})
              kube.label(pod, {['app.kubernetes.io/state'] = 'seen', stale = json.null})
              kube.annotate({apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', name = 'job-a'}, {note = 'x'})
              kube.evict(pod)
              kube.event(pod, {type = 'Warning', reason = 'Checked', message = 'seen by kubelua'})
              kube.event(pod, {type = 'Warning', reason = 'Checked', message = 'seen by kubelua'})
              local job, err = kube.get{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', name = 'job-a'}
              print(tostring(job) .. ' ' .. err.reason .. ' ' .. err.status)
              print(tostring(err):sub(1, 40))
            end
            """])
        try await h.run([Self.world[0]])
        #expect(h.actions.all == [
            "ACTION delete v1/pods default/web-1 uid=web-1 grace_period=0 propagation=Background (hook default/acts.lua)",
            #"ACTION patch v1/pods default/web-1 merge {"metadata":{"labels":{"app.kubernetes.io/state":"seen","stale":null}}} (hook default/acts.lua)"#,
            #"ACTION patch batch/v1/jobs default/job-a merge {"metadata":{"annotations":{"note":"x"}}} (hook default/acts.lua)"#,
            "ACTION evict v1/pods default/web-1 uid=web-1 (hook default/acts.lua)",
            "ACTION event Warning Checked regarding Pod default/web-1: seen by kubelua (hook default/acts.lua)",
        ])
        #expect(h.output.texts == ["nil offline 0", "offline: replay does not contact a clust"])
    }

    @Test func objectFilesAnswerReadsOfTheirKinds() async throws {
        let file = NSTemporaryDirectory() + "kubelua-jobs-\(UUID().uuidString).json"
        try Data(#"""
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"job-a","namespace":"default","labels":{"team":"a"}},"status":{"succeeded":1}},
              {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"job-b","namespace":"default","labels":{"team":"b"}},"status":{"active":1}}]}
            """#.utf8).write(to: URL(fileURLWithPath: file))
        var objects = ReplayObjects()
        try objects.load(file: file)
        let h = try Harness(["default/jobs.lua": """
            function on_add(pod)
              local ref = pod.metadata.ownerReferences[1]
              local job = kube.get{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', name = ref.name}
              print(job.metadata.name .. ' succeeded ' .. job.status.succeeded)
              local list = kube.list{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', labels = 'team=b'}
              print('listed ' .. #list.items .. ' ' .. list.items[1].metadata.name)
              local _, err = kube.get{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', name = 'gone'}
              print(err.reason .. ' ' .. err.status)
            end
            """], objects: objects)
        try await h.run([Self.world[0]])
        #expect(h.output.texts == ["job-a succeeded 1", "listed 1 job-b", "NotFound 404"])
    }

    @Test(arguments: [
        ("kube.delete('x')", "bad argument #1 'ref' to 'kube.delete' (table expected, got string)"),
        ("kube.delete(pod, {propagation = 'Later'})", "bad argument 'propagation' of #2 to 'kube.delete' ('Later' is not one of Background, Foreground, Orphan)"),
        ("kube.delete(pod, {grace = 1})", "bad argument #2 to 'kube.delete' (unknown option 'grace')"),
        ("kube.get{apiVersion = 'v1', kind = 'Pod'}", "bad argument 'name' of #1 to 'kube.get' (string expected, got nil)"),
        ("kube.label(pod, {a = 1})", "bad argument #2 to 'kube.label' ('a': a string or json.null (to remove it) expected, got number)"),
        ("kube.patch(pod, {}, {type = 'yaml'})", "bad argument 'type' of #3 to 'kube.patch' ('yaml' is not one of merge, strategic, json)"),
        ("kube.event(pod, {type = 'Error', reason = 'X'})", "bad argument 'type' of #2 to 'kube.event' ('Error' is not one of Normal, Warning)"),
        ("kube.evict({apiVersion = 'batch/v1', kind = 'Job', name = 'j'})", "bad argument #1 to 'kube.evict' (only pods can be evicted, got a Job)"),
    ])
    func badArgumentsRaiseAnErrorNamingTheArgument(code: String, message: String) async throws {
        let h = try Harness(["default/bad.lua": "function on_add(pod) \(code) end"])
        try await h.run([Self.world[0]])
        let failure = try #require(h.output.failures.first)
        #expect(failure.error.message.hasSuffix(message), "\(failure.error.message)")
        #expect(failure.error.message.hasPrefix("default/bad.lua:1:") || failure.error.message.contains("bad.lua:1:"), "\(failure.error.message)")
    }
}
