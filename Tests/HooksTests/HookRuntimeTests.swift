import Hooks
import Kube
import Lua
import Testing

@Suite(.timeLimit(.minutes(1))) struct HookRuntimeTests {
    @Test func eachFolderSeesItsNamespaceAndAllSeesEvery() async throws {
        let folder = try HooksFolder([
            "default/a.lua": "function on_add(pod, ctx) print('default saw ' .. ctx.namespace .. '/' .. pod.metadata.name) end",
            "_all/b.lua": "function on_add(pod, ctx) print('all saw ' .. ctx.namespace .. '/' .. pod.metadata.name) end",
            "other/c.lua": "function on_add(pod, ctx) print('other saw ' .. ctx.namespace .. '/' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        #expect(try await runtime.loadAll().isEmpty)
        #expect(await runtime.layout?.namespaces == ["default", "other"])
        #expect(await runtime.layout?.watchesAllNamespaces == true)
        runtime.dispatch(events([.added(pod("p1", rv: 1)), .added(pod("p2", namespace: "kube-system", rv: 2))]))
        await runtime.waitUntilIdle()
        #expect(Set(output.texts) == ["default saw default/p1", "all saw default/p1", "all saw kube-system/p2"])
    }

    /// An API emulator that sends no UIDs: pods are told apart by name, in the phases
    /// remembered too, so one pod's phase is never taken for another's.
    @Test func podsWithoutUIDsHaveAPhaseMemoryEachByName() async throws {
        let folder = try HooksFolder([
            "default/h.lua": "function on_phase(pod, from, to) print(pod.metadata.name .. ' ' .. tostring(from) .. '->' .. to) end",
        ])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        await runtime.feed([.added(pod("a", uid: "", rv: 1)), .modified(pod("a", uid: "", rv: 2, phase: "Running"))])
        await runtime.waitUntilIdle()
        await runtime.feed([.added(pod("b", uid: "", rv: 3))])
        await runtime.waitUntilIdle()
        #expect(output.texts == ["a nil->Pending", "a Pending->Running", "b nil->Pending"])
    }

    /// `ctx.resource_version` is the pod's own, also for initial adds from a list (whose version is 9).
    @Test func handlersGetThePodCtxAndPhaseChangesInOrder() async throws {
        let folder = try HooksFolder([
            "default/h.lua": """
                local function show(ctx) return ctx.event .. ' ' .. ctx.hook .. ' ' .. ctx.namespace .. '/' .. ctx.name .. ' rv=' .. ctx.resource_version .. (ctx.initial and ' initial' or '') .. (ctx.tombstone and ' tombstone' or '') end
                function on_add(pod, ctx) print('add ' .. show(ctx) .. ' port=' .. math.type(pod.spec.containers[1].ports[1].containerPort)) end
                function on_update(old, new, ctx) print('update ' .. old.metadata.resourceVersion .. '->' .. new.metadata.resourceVersion .. ' restarts=' .. new.status.containerStatuses[1].restartCount) end
                function on_delete(pod, ctx) print('delete ' .. show(ctx)) end
                function on_phase(pod, from, to, ctx) print('phase ' .. tostring(from) .. '->' .. to .. ' on ' .. ctx.event) end
                """,
        ])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        var store = PodStore()
        runtime.dispatch(store.replace(with: [pod("job-x", rv: 5)], at: "9", initial: true))
        runtime.dispatch(store.apply(.modified(pod("job-x", rv: 10))))
        runtime.dispatch(store.apply(.modified(pod("job-x", rv: 11, phase: "Succeeded"))))
        runtime.dispatch(store.apply(.deleted(pod("job-x", rv: 12, phase: "Succeeded"))))
        await runtime.waitUntilIdle()
        #expect(output.texts == [
            "add add default/h.lua default/job-x rv=5 initial port=integer",
            "phase nil->Pending on add",
            "update 5->10 restarts=3",
            "update 10->11 restarts=3",
            "phase Pending->Succeeded on update",
            "delete delete default/h.lua default/job-x rv=12",
        ])
    }

    /// A version that starts once its scope's watch has synced (`kubelua run`) takes no event
    /// before then: it starts from the world the synced cache holds, one initial add per pod (the
    /// list's adds are not queued besides), and takes what comes after it.
    @Test func aVersionWaitingForItsScopeToSyncStartsFromTheSyncedWorldNotTheListsEvents() async throws {
        let folder = try HooksFolder([
            "default/h.lua": """
                function on_add(pod, ctx) print('add ' .. pod.metadata.name .. ' rv=' .. ctx.resource_version .. (ctx.initial and ' initial' or '')) end
                function on_update(old, new, ctx) print('update ' .. new.metadata.name .. ' ' .. old.metadata.resourceVersion .. '->' .. new.metadata.resourceVersion) end
                """,
        ])
        let output = HookOutput()
        let cache = PodCache()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(), cache: cache, startsOnSync: true)
        try await runtime.loadAll()
        // The first list, and an update before the sync is reported: both in the world.
        runtime.dispatch(cache.update { $0.replace(with: [pod("b", rv: 2), pod("a", rv: 1)], at: "2", initial: true) })
        runtime.dispatch(cache.update { $0.apply(.modified(pod("b", rv: 3))) })
        await runtime.synced("default")
        runtime.dispatch(cache.update { $0.apply(.modified(pod("a", rv: 4))) })
        await runtime.waitUntilIdle()
        #expect(output.texts == ["add a rv=1 initial", "add b rv=3 initial", "update a 1->4"])
    }

    @Test func theObserverPrintsTheJobPodsStory() async throws {
        let source = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/HooksTests/HookRuntimeTests.swift", with: "hooks/default/observer.lua"), encoding: .utf8)
        let folder = try HooksFolder(["default/observer.lua": source])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        runtime.dispatch(events([
            .added(pod("busybox-m5cd6", rv: 1, owner: "busybox")), .modified(pod("busybox-m5cd6", rv: 2, owner: "busybox")),
            .modified(pod("busybox-m5cd6", rv: 3, phase: "Succeeded", owner: "busybox")),
            .deleted(pod("busybox-m5cd6", rv: 4, phase: "Succeeded", owner: "busybox")),
        ]))
        await runtime.waitUntilIdle()
        #expect(output.texts == [
            "Pod <busybox-m5cd6> was added by Job <busybox>.",
            "Pod <busybox-m5cd6> is Pending phase.",
            "Pod <busybox-m5cd6> is Succeeded phase. previous: Pending phase",
            "Pod <busybox-m5cd6> was deleted.",
        ])
    }

    @Test func aBrokenHookIsReportedAndTheOthersRun() async throws {
        let folder = try HooksFolder([
            "default/broken.lua": "function on_add(pod)\n  local x = = 1\nend\n",
            "default/raises.lua": "error('top level fails')",
            "default/fine.lua": "function on_add(pod) print('fine ' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        let failures = try await runtime.loadAll()
        // Lua shortens long file names to their end.
        #expect(failures.count == 2)
        #expect(failures[0].description.hasSuffix("/default/broken.lua:2: unexpected symbol near '='"))
        #expect(failures[1].description.hasSuffix("/default/raises.lua:1: top level fails"))
        #expect(await runtime.loadedHooks == ["default/fine.lua"])
        runtime.dispatch(events([.added(pod("p", rv: 1))]))
        await runtime.waitUntilIdle()
        #expect(output.texts == ["fine p"])
    }

    @Test func aFailingHandlerIsReportedAndTheNextEventProceeds() async throws {
        let folder = try HooksFolder([
            "default/h.lua": "function on_add(pod)\n  if pod.metadata.name == 'bad' then\n    error('cannot handle ' .. pod.metadata.name)\n  end\n  print('ok ' .. pod.metadata.name)\nend\n",
        ])
        let output = HookOutput()
        let environment = output.environment()
        let runtime = HookRuntime(root: folder.root, environment: environment)
        try await runtime.loadAll()
        runtime.dispatch(events([.added(pod("bad", rv: 1)), .added(pod("good", rv: 2))]))
        await runtime.waitUntilIdle()
        #expect(output.texts == ["ok good"])
        let failure = try #require(output.failures.first)
        #expect(failure.description.hasSuffix("/default/h.lua:3: cannot handle bad (pod default/bad) in on_add"))
        #expect(failure.error.location?.line == 3)
        #expect(failure.error.traceback?.contains("in function 'on_add'") == true)
        #expect(environment.statistics.snapshot == .init(succeeded: 1, failed: 1))
    }

    @Test func modulesComeFromTheLibFolder() async throws {
        let folder = try HooksFolder([
            "_lib/text.lua": "return { shout = function(s) return s:upper() .. '!' end }",
            "_lib/alerts/format.lua": "local text = require('text') return function(name) return text.shout(name) end",
            "default/h.lua": "local format = require('alerts.format') function on_add(pod) print(format(pod.metadata.name)) end",
            "default/missing.lua": "require('nope')",
        ])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        let failures = try await runtime.loadAll()
        #expect(failures.count == 1)
        #expect(failures.first?.description.hasSuffix("/default/missing.lua:1: module 'nope' not found (looked for _lib/nope.lua in the hooks folder)") == true)
        runtime.dispatch(events([.added(pod("web", rv: 1))]))
        await runtime.waitUntilIdle()
        #expect(output.texts == ["WEB!"])
    }

    @Test func logLinesCarryTheHookPodAndFields() async throws {
        let folder = try HooksFolder(["default/h.lua": "log.info('top') function on_add(pod) log.warn('seen', {restarts = 3, ready = false}) end"])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        runtime.dispatch(events([.added(pod("p", rv: 7))]))
        await runtime.waitUntilIdle()
        #expect(output.lines.map(\.text) == ["top", "WARN seen ready=false restarts=3"])
        #expect(output.lines[0].context == nil)
        #expect(output.lines[1].context == HookCallContext(hook: "default/h.lua", event: "add", pod: PodKey(namespace: "default", name: "p"), resourceVersion: "7"))
    }
}
