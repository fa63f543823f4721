import FakeAPIServer
import Foundation
import Hooks
import Kube
import Lua
import ServiceLifecycle
import Testing

/// `--max-backlog`: when hooks fall that far behind, the watch stops reading (the server is held
/// back by TCP flow control) until they catch up; nothing is dropped.
@Suite(.timeLimit(.minutes(1)))
struct HookBackpressureTests {
    @Test func aBlockedHookStopsTheWatchAtTheBoundAndEveryEventArrivesOnceItCatchesUp() async throws {
        let podCount = 5, eventCount = 2_000, bound = 20
        let server = FakeAPIServer()
        try await server.start()
        for index in 0..<podCount { try server.createPod(name: "p\(index)") }
        // Every update blocks its Lua thread until the test releases "go".
        let folder = try HooksFolder(["default/h.lua": "function on_update(old, new) block.hold('go') print(new.metadata.name) end"])
        let output = HookOutput()
        let blocker = ThreadBlocker(bound: 50)
        let backpressure = Backpressure(bound: bound)
        let environment = output.environment(
            sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: nil)), modules: { _ in [blocker.module] },
            threads: LuaThreadPool(threads: 1), backpressure: backpressure)
        let runtime = HookRuntime(root: folder.root, environment: environment)
        try await runtime.loadAll()
        let log = LogMessages()
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: log.logger)
        let (synced, signal) = AsyncStream.makeStream(of: Void.self)
        let daemon = HookDaemon(runtime: runtime, client: client, monitor: nil, logger: log.logger, whenSynced: { signal.yield() })
        let group = ServiceGroup(configuration: .init(services: [daemon], logger: log.logger))

        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            for await _ in synced { break }
            let listed = runtime.cache.snapshot().through
            for index in 0..<eventCount { try server.touch(name: "p\(index % podCount)") }

            // The first update blocks the hook; the rest queue up to the bound, then the watch pauses.
            #expect(await log.wait(for: "watch paused"))
            let applied = Int(runtime.cache.snapshot().through - listed)
            // What the watch read stops at the bound plus the chunk that crossed it: one read of at
            // most 64 KiB (NIO's largest), so at most 64 KiB / the smallest event of these pods.
            let smallestEvent = runtime.cache.pods().map(\.json.count).min()! + #"{"type":"MODIFIED","object":}"#.utf8.count
            #expect(applied >= bound)
            #expect(applied <= bound + 65_536 / smallestEvent, "the watch read on past the bound")
            #expect(backpressure.outstanding >= bound)

            // Catching up: every event arrives, in one watch (none dropped, no relist).
            blocker.release("go")
            var lines = output.stream.makeAsyncIterator()
            var printed = 0
            while printed < eventCount, await lines.next() != nil { printed += 1 }
            #expect(printed == eventCount)
            #expect(runtime.cache.snapshot().through - listed == UInt64(eventCount))
            #expect(server.requests.filter { $0.kind == .watch }.count == 1)
            #expect(server.requests.filter { $0.kind == .list }.count == 1)
            await group.triggerGracefulShutdown()
        }
        // Every reservation was released once its handler call finished.
        #expect(backpressure.outstanding == 0)
        #expect(output.failures.isEmpty)
        try await client.shutdown()
        try await server.shutdown()
    }
}
