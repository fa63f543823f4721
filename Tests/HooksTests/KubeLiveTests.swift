import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import Lua
import ServiceLifecycle
import Synchronization
import Testing

/// The `kube` module against the fake API server over real HTTP, through `kubelua run`'s daemon:
/// the informer feeds the hooks, the live backend carries out their calls.
@Suite(.timeLimit(.minutes(1))) struct KubeLiveTests {
    /// A clock that moves only when the test says so.
    final class TestClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    /// Runs the hooks in `files` against `server` until `body` returns.
    @discardableResult
    static func withHooks(
        _ files: [String: String], server: FakeAPIServer, dryRun: Bool = false, clock: TestClock = TestClock(),
        statistics: KubeCallStatistics = KubeCallStatistics(), logger: Logger = Logger(label: "test"),
        maximumResponseBytes: Int = 8 << 20, timePerCall: Duration = .seconds(30), clusterReads: Set<String> = [],
        _ body: (HookOutput) async throws -> Void
    ) async throws -> HookOutput {
        let folder = try HooksFolder(files)
        let output = HookOutput()
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let cache = PodCache()
        let backend = LiveKubeBackend(client: client, dryRun: dryRun, maximumResponseBytes: maximumResponseBytes, statistics: statistics, logger: logger)
        let kube = KubeHelper(
            cache: cache, backend: backend, events: KubeEventRecorder(now: { clock.now }), clusterReads: clusterReads, statistics: statistics)
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: timePerCall))
        var environment = output.environment(sandbox: sandbox, modules: { [.kube(kube, for: $0)] })
        environment.dryRun = dryRun
        let runtime = HookRuntime(root: folder.root, environment: environment, cache: cache)
        #expect(try await runtime.loadAll().isEmpty)
        let daemon = HookDaemon(runtime: runtime, client: client, monitor: nil, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [daemon], logger: logger))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            _ = await server.waitForRequest(.watch)
            try await body(output)
            await group.triggerGracefulShutdown()
        }
        try await client.shutdown()
        return output
    }

    static func started() async throws -> FakeAPIServer {
        let server = FakeAPIServer()
        try await server.start()
        return server
    }

    @Test func aWriteOfAReplicaThatStoppedLeadingWhileItWaitedIsNotSent() async throws {
        let server = try await Self.started()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        // Lost at once: the one check that matters here is the backend's, just before the request.
        let leadership = Leadership(lease: "kubelua/kubelua", identity: "a", now: { 0 })
        let backend = LiveKubeBackend(client: client, leadership: leadership, logger: logger)
        let write = KubeCall(verb: .delete, apiVersion: "v1", kind: "Pod", namespace: "default", name: "p", hook: "default/h.lua")
        let before = server.requests.count
        guard case .failure(let refusal) = await backend.perform(write, secondsLeft: nil) else { Issue.record("sent"); return }
        #expect(refusal.reason == "NotLeader" && refusal.message.hasPrefix("delete refused: this replica no longer leads (lease kubelua/kubelua)"))
        #expect(!server.requests.dropFirst(before).contains { $0.method == "DELETE" })
        // Reads go on.
        let read = KubeCall(verb: .get, apiVersion: "v1", kind: "Pod", namespace: "default", name: "p", hook: "default/h.lua")
        guard case .failure(let missing) = await backend.perform(read, secondsLeft: nil) else { Issue.record("no pod p"); return }
        #expect(missing.reason == "NotFound")
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func aDeleteCarriesTheUIDSoARecreatedPodIsNeverDeleted() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        let old = try server.createPod(name: "p")
        try await Self.withHooks(["default/h.lua": """
            function on_add(pod)
              if pod.metadata.name == 'p' and not saved then saved = pod end
              if pod.metadata.name == 'trigger' then
                local ok, err = kube.delete(saved)
                print(ok and 'deleted' or (err.reason .. ' ' .. err.status))
                local again, err2 = kube.delete(kube.pod('default', 'p'))
                print(again and 'deleted the new one' or tostring(err2))
              end
            end
            """], server: server) { output in
            var lines = output.stream.makeAsyncIterator()
            _ = try server.delete(name: "p")
            let recreated = try server.createPod(name: "p")
            #expect(recreated.uid != old.uid)
            _ = try server.createPod(name: "trigger")
            #expect(await lines.next()?.text == "Conflict 409")
            #expect(await lines.next()?.text == "deleted the new one")
        }
        let uids = server.deletions.map(\.preconditionUID)
        #expect(uids.count == 2 && uids.first == old.uid && uids.last != old.uid && uids.last != nil)
        #expect(server.pod(name: "p") == nil)
    }

    @Test func aDryRunIsValidatedAndChangesNothing() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        _ = try server.createPod(name: "p", labels: ["app": "web"])
        let before = server.currentResourceVersion
        try await Self.withHooks(["default/h.lua": """
            function on_add(pod, ctx)
              print('would act: ' .. tostring(ctx.dry_run))
              local labelled = kube.label(pod, {team = 'a'})
              print('label ' .. labelled.metadata.labels.team)
              print('delete ' .. tostring(kube.delete(pod) ~= nil))
              local _, err = kube.delete({apiVersion = 'v1', kind = 'Pod', namespace = 'default', name = 'absent'})
              print('absent ' .. err.reason)
            end
            """], server: server, dryRun: true) { output in
            var lines = output.stream.makeAsyncIterator()
            #expect(await lines.next()?.text == "would act: true")
            #expect(await lines.next()?.text == "label a")
            #expect(await lines.next()?.text == "delete true")
            #expect(await lines.next()?.text == "absent NotFound")
        }
        #expect(server.pod(name: "p")?.labels == ["app": "web"])
        #expect(server.currentResourceVersion == before)
        #expect(server.requests.filter { $0.kind != .list && $0.kind != .watch && $0.kind != .discovery }.allSatisfy { $0.query("dryRun") == "All" })
    }

    @Test func failuresComeBackAsErrObjects() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        _ = try server.createPod(name: "p", labels: ["app": "web"], phase: "Running")
        try server.createObject(.podDisruptionBudgets, [
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "web", "namespace": "default"],
            "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "web"]]],
        ])
        server.refuse("patch", "pods", namespace: "default", code: 403)
        try await Self.withHooks(["default/h.lua": """
            function on_add(pod)
              local _, e = kube.get{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', name = 'missing'}
              print(e.reason .. ' ' .. e.status)
              _, e = kube.evict(pod)
              print(e.reason .. ' ' .. e.status .. ' ' .. e.message)
              _, e = kube.annotate(pod, {a = 'b'})
              print(e.reason .. " " .. e.status .. " " .. e.message)
              _, e = kube.get{apiVersion = 'example.com/v1', kind = 'Widget', namespace = 'default', name = 'w'}
              print(e.reason .. ' ' .. e.message)
            end
            """], server: server) { output in
            var lines = output.stream.makeAsyncIterator()
            #expect(await lines.next()?.text == "NotFound 404")
            #expect(await lines.next()?.text == "TooManyRequests 429 Cannot evict pod as it would violate the pod's disruption budget.")
            let forbidden = await lines.next()?.text ?? ""
            #expect(forbidden.hasPrefix(#"Forbidden 403 the hook may not patch pods in API group "" in namespace default: add this rule"#), "\(forbidden)")
            // A kind discovery does not know says so, not only "NotFound (404)".
            #expect(await lines.next()?.text == "NotFound the server does not know kind Widget in example.com/v1 (API discovery): it serves no example.com/v1 at all")
        }
        #expect(server.pod(name: "p") != nil)
    }

    @Test func discoveryIsCachedAndFetchedAgainOnAMiss() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        let widgets = ResourceType(group: "example.com", version: "v1", name: "widgets", kind: "Widget")
        try await Self.withHooks(["default/h.lua": """
            function on_add(pod)
              local w, e = kube.get{apiVersion = 'example.com/v1', kind = 'Widget', namespace = 'default', name = 'w'}
              print(w and ('widget ' .. w.metadata.name) or e.reason)
              local j, e2 = kube.list{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default'}
              print(j and ('jobs ' .. #j.items) or e2.reason)
            end
            """], server: server) { output in
            var lines = output.stream.makeAsyncIterator()
            _ = try server.createPod(name: "a")
            #expect(await lines.next()?.text == "NotFound")
            #expect(await lines.next()?.text == "jobs 0")
            // A kind installed since: the cached list misses it, so discovery is asked again.
            server.addResource(widgets)
            try server.createObject(widgets, ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w", "namespace": "default"]])
            _ = try server.createPod(name: "b")
            #expect(await lines.next()?.text == "widget w")
            #expect(await lines.next()?.text == "jobs 0")
        }
        let discovery = server.requests.filter { $0.kind == .discovery }.map(\.path)
        #expect(discovery == ["/apis/example.com/v1", "/apis/batch/v1", "/apis/example.com/v1"])
    }

    @Test func repeatedEventsAreAggregatedIntoOneSeries() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        let clock = TestClock()
        try await Self.withHooks(["default/h.lua": """
            function on_update(old, pod)
              local e, err = kube.event(pod, {type = 'Warning', reason = 'BackOff', message = 'restarting'})
              print(e and ('event ' .. ((e.series and e.series.count) or 1)) or tostring(err))
            end
            """], server: server, clock: clock) { output in
            var lines = output.stream.makeAsyncIterator()
            _ = try server.createPod(name: "crashy")
            for round in 1...3 {
                if round == 3 { clock.advance(.seconds(31)) }
                _ = try server.touch(name: "crashy")
                #expect(await lines.next()?.text == "event \(round == 3 ? 3 : 1)")
            }
        }
        let events = server.objects(.eventsV1)
        #expect(events.count == 1)
        #expect(((events.first?["series"] as? [String: Any])?["count"] as? Int) == 3)
        #expect(((events.first?["regarding"] as? [String: Any])?["name"] as? String) == "crashy")
        #expect(server.requests.filter { $0.path.hasPrefix("/apis/events.k8s.io/v1/namespaces/default/events") }.map(\.kind) == [.create, .patch])
    }

    @Test func createPatchesAndLabelsReachTheServerAndWritesAreLoggedAndCounted() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        _ = try server.createPod(name: "p", labels: ["app": "web", "stale": "yes"])
        let statistics = KubeCallStatistics()
        let logs = LogMessages()
        try await Self.withHooks(["default/h.lua": """
            function on_add(pod)
              local cm = kube.create{apiVersion = 'v1', kind = 'ConfigMap', metadata = {name = 'seen', namespace = 'default'}, data = {pod = pod.metadata.name}}
              print('created ' .. cm.metadata.name .. ' ' .. cm.data.pod)
              local _, dup = kube.create{apiVersion = 'v1', kind = 'ConfigMap', metadata = {name = 'seen', namespace = 'default'}}
              print(dup.reason .. ' ' .. dup.status)
              kube.label(pod, {team = 'a', stale = json.null})
              kube.patch(pod, {{op = 'add', path = '/metadata/annotations', value = {note = 'x'}}}, {type = 'json'})
              local p = kube.patch(pod, {spec = {containers = {{name = 'main', image = 'busybox:1.37'}}}}, {type = 'strategic'})
              print('image ' .. p.spec.containers[1].image .. ' containers ' .. #p.spec.containers)
            end
            """], server: server, statistics: statistics, logger: logs.logger) { output in
            var lines = output.stream.makeAsyncIterator()
            #expect(await lines.next()?.text == "created seen p")
            #expect(await lines.next()?.text == "AlreadyExists 409")
            #expect(await lines.next()?.text == "image busybox:1.37 containers 1")
        }
        let pod = try #require(server.pod(name: "p"))
        #expect(pod.labels == ["app": "web", "team": "a"])
        #expect(((pod.object["metadata"] as? [String: Any])?["annotations"] as? [String: String]) == ["note": "x"])
        let counts = statistics.snapshot
        #expect(counts[.init(hook: "default/h.lua", verb: "create", resource: "configmaps", code: 200)] == 1)
        #expect(counts[.init(hook: "default/h.lua", verb: "create", resource: "configmaps", code: 409)] == 1)
        #expect(counts[.init(hook: "default/h.lua", verb: "patch", resource: "pods", code: 200)] == 3)
        let writes = logs.all.filter { $0.hasPrefix("kube write") }
        #expect(writes.count == 5)
        #expect(writes.contains { $0.contains("verb=patch") && $0.contains("target=v1/pods default/p") && $0.contains("hook=default/h.lua") && $0.contains("dry_run=false") })
        #expect(!writes.contains { $0.contains("busybox:1.37") })
        // The refused create is the one failed write, logged as such (at warning level).
        #expect(writes.filter { $0.hasPrefix("kube write failed") }.count == 1)
        #expect(writes.contains { $0.hasPrefix("kube write failed") && $0.contains("code=409") })
    }

    @Test func eventsFallBackToCoreV1WhereEventsK8sIoIsMissing() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        server.removeResource(.eventsV1)
        try await Self.withHooks(["default/h.lua": """
            function on_add(pod)
              local e = kube.event(pod, {type = 'Normal', reason = 'Seen', message = 'hello'})
              print(e.apiVersion .. ' ' .. e.involvedObject.name .. ' ' .. e.message)
            end
            """], server: server) { output in
            var lines = output.stream.makeAsyncIterator()
            _ = try server.createPod(name: "p")
            #expect(await lines.next()?.text == "v1 p hello")
        }
        #expect(server.objects(.events, namespace: "default").count == 1)
    }

    @Test func aResponseLargerThanTheCapIsAnErrorNotAMemoryBomb() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        for index in 0..<20 { _ = try server.createPod(name: "pod-\(index)") }
        try await Self.withHooks(["default/h.lua": """
            function on_add(pod)
              if pod.metadata.name ~= 'pod-0' then return end
              local list, err = kube.list{apiVersion = 'v1', kind = 'Pod', namespace = 'default'}
              print(list and 'listed' or (err.reason .. ': ' .. err.message))
            end
            """], server: server, maximumResponseBytes: 4096) { output in
            var lines = output.stream.makeAsyncIterator()
            #expect(await lines.next()?.text == "InvalidResponse: the response is larger than 4096 bytes")
        }
    }

    @Test func aCallIsBoundedByTheHandlersDeadlineAndOtherHooksGoOn() async throws {
        let server = try await Self.started()
        defer { Task { try? await server.shutdown() } }
        server.inject(.hangAfterHeaders, on: .request(verb: "get", resource: "jobs", group: "batch"), .always)
        let output = try await Self.withHooks([
            "default/slow.lua": "function on_add(pod) kube.get{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', name = 'j'} print('never') end",
            "default/other.lua": "function on_add(pod) print('other ' .. pod.metadata.name) end",
        ], server: server, timePerCall: .milliseconds(500)) { output in
            var lines = output.stream.makeAsyncIterator()
            _ = try server.createPod(name: "a")
            _ = try server.createPod(name: "b")
            var seen: Set<String> = []
            while seen.count < 2, let line = await lines.next() { seen.insert(line.text) }
            #expect(seen == ["other a", "other b"])
        }
        // Shutting down waited for the slow hook's calls: each was stopped at its deadline.
        let slow = output.failures.filter { $0.hook == "default/slow.lua" }
        #expect(slow.map(\.error.kind) == [.deadline, .deadline])
        #expect(!output.texts.contains("never"))
    }
}
