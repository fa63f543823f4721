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
    static let podCount = 5, eventCount = 2_000, bound = 20

    /// The fake server with a few pods; a daemon whose one hook blocks its Lua thread on every
    /// update until the test releases "go"; the backlog bounded at `bound`.
    struct Setup {
        let server = FakeAPIServer()
        let output = HookOutput()
        let blocker = ThreadBlocker(bound: 50)
        let ledger = BacklogLedger(bound: bound)
        let log = LogMessages()
        let runtime: HookRuntime
        let client: KubeClient
        let group: ServiceGroup
        let synced: AsyncStream<Void>

        init(drainTimeout: Duration = .seconds(10)) async throws {
            try await server.start()
            for index in 0..<podCount { try server.createPod(name: "p\(index)") }
            let folder = try HooksFolder(["default/h.lua": "function on_update(old, new) block.hold('go') print(new.metadata.name) end"])
            let blocker = blocker
            let environment = output.environment(
                sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: nil)), modules: { _ in [blocker.module] },
                threads: LuaThreadPool(threads: 1), ledger: ledger)
            runtime = HookRuntime(root: folder.root, environment: environment)
            try await runtime.loadAll()
            client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: log.logger)
            let (synced, signal) = AsyncStream.makeStream(of: Void.self)
            self.synced = synced
            let daemon = HookDaemon(
                runtime: runtime, client: client, monitor: nil, drainTimeout: drainTimeout, logger: log.logger, whenSynced: { signal.yield() })
            group = ServiceGroup(configuration: .init(services: [daemon], logger: log.logger))
        }

        /// Once synced, makes `eventCount` changes and waits until the watch has paused; returns
        /// the events applied before the changes.
        func burstUntilPaused() async throws -> UInt64 {
            for await _ in synced { break }
            let listed = runtime.cache.snapshot().through
            for index in 0..<eventCount { try server.touch(name: "p\(index % podCount)") }
            // The first update blocks the hook; the rest queue up to the bound, then the watch pauses.
            #expect(await log.wait(for: "watch paused"))
            return listed
        }

        func stop() async throws {
            blocker.release("go")
            try await client.shutdown()
            try await server.shutdown()
        }
    }

    @Test func aBlockedHookStopsTheWatchAtTheBoundAndEveryEventArrivesOnceItCatchesUp() async throws {
        let s = try await Setup()
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await s.group.run() }
            let listed = try await s.burstUntilPaused()
            let applied = Int(s.runtime.cache.snapshot().through - listed)
            // What the watch read stops at the bound plus the chunk that crossed it: one read of at
            // most 64 KiB (NIO's largest), so at most 64 KiB / the smallest event of these pods.
            let smallestEvent = s.runtime.cache.pods().map(\.json.count).min()! + #"{"type":"MODIFIED","object":}"#.utf8.count
            #expect(applied >= Self.bound)
            #expect(applied <= Self.bound + 65_536 / smallestEvent, "the watch read on past the bound")
            #expect(s.ledger.outstanding >= Self.bound)

            // Catching up: every event arrives, in one watch (none dropped, no relist).
            s.blocker.release("go")
            var lines = s.output.stream.makeAsyncIterator()
            var printed = 0
            while printed < Self.eventCount, await lines.next() != nil { printed += 1 }
            #expect(printed == Self.eventCount)
            #expect(s.runtime.cache.snapshot().through - listed == UInt64(Self.eventCount))
            #expect(s.server.requests.filter { $0.kind == .watch }.count == 1)
            #expect(s.server.requests.filter { $0.kind == .list }.count == 1)
            await s.group.triggerGracefulShutdown()
        }
        // Every reservation was released once its handler call finished.
        #expect(s.ledger.outstanding == 0)
        #expect(s.output.failures.isEmpty)
        try await s.stop()
    }

    /// A paused watch must not hold up shutdown: stopping the watches cancels the wait.
    @Test func shuttingDownWhileTheWatchIsPausedEndsPromptly() async throws {
        let s = try await Setup(drainTimeout: .milliseconds(10))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await s.group.run() }
            _ = try await s.burstUntilPaused()
            await s.group.triggerGracefulShutdown()
        }
        // The daemon returned (the group's run ended) while the hook was still blocked.
        #expect(await s.log.wait(for: "the drain timeout (0.01 seconds) passed with"))
        try await s.stop()
    }
}
