import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import ServiceLifecycle
import Testing

/// The daemon end to end: real HTTP to the fake API server, real files, the folder monitor.
@Suite(.timeLimit(.minutes(1)))
struct HookDaemonTests {
    @Test func foldersStartWatchesAndEditsReloadWhileRunning() async throws {
        let server = FakeAPIServer()
        try await server.start()
        let folder = try HooksFolder(["default/h.lua": "function on_add(pod) print('default ' .. pod.metadata.name) end"])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        let logger = Logger(label: "test")
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let monitor = HookFolderMonitor(root: folder.root, pollInterval: .seconds(3600), settle: .milliseconds(1))
        let daemon = HookDaemon(runtime: runtime, client: client, monitor: monitor, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [daemon], logger: logger))
        var lines = output.stream.makeAsyncIterator()

        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            _ = await server.waitForRequest { $0.kind == .watch && $0.path == "/api/v1/namespaces/default/pods" }
            _ = try server.createPod(name: "a")
            #expect(await lines.next()?.text == "default a")

            // A new namespace folder: its hook loads with the pods it can see, and a watch starts.
            _ = try server.createPod(namespace: "staging", name: "s")
            try folder.write("staging/h.lua", "function on_add(pod, ctx) print('staging ' .. pod.metadata.name .. (ctx.initial and ' initial' or '')) end")
            _ = await server.waitForRequest { $0.kind == .watch && $0.path == "/api/v1/namespaces/staging/pods" }
            #expect(await lines.next()?.text == "staging s initial")

            // An edit takes effect without a restart.
            try folder.write("default/h.lua", "function on_add(pod) print('edited ' .. pod.metadata.name) end")
            #expect(await lines.next()?.text == "edited a")

            await group.triggerGracefulShutdown()
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func whenSyncedRunsOnceTheFirstListsAddsAreHandled() async throws {
        try await runSynced(pods: ["a", "b", "c"], hook: "function on_add(pod) print(pod.metadata.name) end") { _, _, _, output in
            // By then every initial add has been handled.
            #expect(output.texts.sorted() == ["a", "b", "c"])
        }
    }

    /// `health.handedOver` says how far the consumer has got in the cache's history: every event
    /// the cache made up to it has been handed to the hooks.
    @Test func handedOverFollowsTheCachesHistory() async throws {
        let hook = "function on_update(old, new) print('updated ' .. new.metadata.name) end"
        let (daemon, runtime) = try await runSynced(pods: ["a", "b"], hook: hook) { server, daemon, runtime, output in
            #expect(daemon.health.handedOver == 2)
            #expect(daemon.health.handedOver == runtime.cache.snapshot().through)
            var lines = output.stream.makeAsyncIterator()
            _ = try server.setPhase(name: "b", "Running")
            #expect(await lines.next()?.text == "updated b")
        }
        // The consumer has ended: everything it took was handed over.
        #expect(daemon.health.handedOver == 3)
        #expect(daemon.health.handedOver == runtime.cache.snapshot().through)
    }

    /// Runs a daemon with `hook` in `default/` over a server holding `pods`, calls `body` once
    /// the first list's adds are handled (`whenSynced`), then shuts everything down.
    @discardableResult
    private func runSynced(
        pods: [String], hook: String,
        _ body: (FakeAPIServer, HookDaemon, HookRuntime, HookOutput) async throws -> Void
    ) async throws -> (HookDaemon, HookRuntime) {
        let server = FakeAPIServer()
        try await server.start()
        for name in pods { _ = try server.createPod(name: name) }
        let folder = try HooksFolder(["default/h.lua": hook])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        let logger = Logger(label: "test")
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let (synced, signal) = AsyncStream.makeStream(of: Void.self)
        let daemon = HookDaemon(runtime: runtime, client: client, monitor: nil, logger: logger, whenSynced: { signal.yield() })
        #expect(daemon.health.handedOver == 0)
        let group = ServiceGroup(configuration: .init(services: [daemon], logger: logger))

        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            for await _ in synced { break }
            try await body(server, daemon, runtime, output)
            await group.triggerGracefulShutdown()
        }
        try await client.shutdown()
        try await server.shutdown()
        return (daemon, runtime)
    }
}

