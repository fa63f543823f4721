import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import Lua
import ServiceLifecycle
import Testing

/// What hooks remember across reloads and restarts, through the daemon over real HTTP: two
/// daemons one after the other on the same server and state folder stand for a restart.
@Suite(.timeLimit(.minutes(1)))
struct HookStateDaemonTests {
    static let hook = """
        function on_start(ctx) print("start " .. tostring(ctx.reload) .. " seen=" .. tostring(state.get("seen"))) end
        function on_add(pod, ctx) state.set("seen", (state.get("seen") or 0) + 1) end
        function on_phase(pod, from, to) print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to) end
        function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. " " .. tostring(ctx.tombstone) .. " " .. pod.status.phase) end
        """

    /// One daemon run: loads the hooks with state in `stateDirectory`, syncs, runs `body`, stops (draining).
    static func run(
        server: FakeAPIServer, folder: HooksFolder, stateDirectory: String, clock: any HookClock = SystemHookClock(),
        _ body: (HookRuntime, inout HookSettingsDaemonTests.Lines) async throws -> Void
    ) async throws -> HookOutput {
        try await run(server: server, folder: folder, state: { _, hook in FileStateBackend(directory: stateDirectory, hook: hook) }, clock: clock, body)
    }

    /// The same, with the state kept where `state` says (given the daemon's client and the hook).
    static func run(
        server: FakeAPIServer, folder: HooksFolder, state: @escaping @Sendable (KubeClient, String) -> any HookStateBackend,
        clock: any HookClock = SystemHookClock(), _ body: (HookRuntime, inout HookSettingsDaemonTests.Lines) async throws -> Void
    ) async throws -> HookOutput {
        let output = HookOutput()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        var environment = output.environment(clock: clock)
        environment.stateBackend = { state(client, $0) }
        let runtime = HookRuntime(root: folder.root, environment: environment, startsOnSync: true)
        try await runtime.loadAll()
        let (synced, signal) = AsyncStream.makeStream(of: Void.self)
        let daemon = HookDaemon(runtime: runtime, client: client, monitor: nil, logger: logger, whenSynced: { signal.yield() })
        let group = ServiceGroup(configuration: .init(services: [daemon], logger: logger))
        var lines = HookSettingsDaemonTests.Lines(output)
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            for await _ in synced { break }
            try await body(runtime, &lines)
            await group.triggerGracefulShutdown()
        }
        try await client.shutdown()
        return output
    }

    /// A server, the folder of `hook` and an empty state folder, for runs one after the other.
    static func memoryHook() async throws -> (FakeAPIServer, HooksFolder, String) {
        let server = FakeAPIServer()
        try await server.start()
        let stateDirectory = NSTemporaryDirectory() + "kubelua-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        return (server, try HooksFolder(["default/memory.lua": hook]), stateDirectory)
    }

    @Test func aRestartBringsStateBackFiresOnPhaseOnlyForRealChangesAndDeliversTombstones() async throws {
        let (server, folder, stateDirectory) = try await Self.memoryHook()
        try server.createPod(name: "a", phase: "Running")
        try server.createPod(name: "b")
        try server.createPod(name: "c")

        _ = try await Self.run(server: server, folder: folder, stateDirectory: stateDirectory) { runtime, lines in
            #expect(await lines.through("phase c nil Pending") == ["start false seen=nil", "phase a nil Running", "phase b nil Pending", "phase c nil Pending"])
            // A reload in the same process: the new version's initial adds fire no on_phase.
            try folder.write("default/memory.lua", Self.hook + "\n-- v2")
            _ = try await runtime.reload()
            try server.createPod(name: "new")
            #expect(await lines.through("phase new nil Pending") == ["start true seen=3", "phase new nil Pending"])
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: stateDirectory)
        // The values, and the one shard of phase memory three pods need.
        #expect(Set(files) == Set([HookStatePart.values, .phases(shard: 0)].map { $0.name(for: "default/memory.lua") + ".json" }))

        // While kubelua is away: a finishes, c is deleted, d appears.
        try server.setPhase(name: "a", "Succeeded")
        try server.delete(name: "c")
        try server.createPod(name: "d")
        let output = try await Self.run(server: server, folder: folder, stateDirectory: stateDirectory) { _, lines in
            #expect(await lines.through("start false seen=7") == ["start false seen=7"])
            #expect(Set(await lines.next(3)) == ["phase a Running Succeeded", "phase d nil Pending", "delete c true Pending"])
        }
        #expect(!output.texts.contains { $0.hasPrefix("phase b") || $0.hasPrefix("phase new") })
        #expect(output.failures.isEmpty)
        try await server.shutdown()
    }

    @Test func aScheduleTickMissedWhileNoProcessRanTheHookRunsOnceWhenItStartsAgain() async throws {
        let server = FakeAPIServer()
        try await server.start()
        let folder = try HooksFolder(["default/cron.lua": """
            hook = { schedule = "@every 60s" }
            function on_schedule(ctx) print("tick +" .. (ctx.time - 1767225600) .. (ctx.missed and " missed" or "")) end
            """])
        let stateDirectory = NSTemporaryDirectory() + "kubelua-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let clock = VirtualClock()
        _ = try await Self.run(server: server, folder: folder, stateDirectory: stateDirectory, clock: clock) { runtime, lines in
            clock.advance(by: .seconds(60))
            #expect(await lines.through("tick +60") == ["tick +60"])
            await runtime.waitUntilIdle()
        }
        // Five ticks come and go while kubelua is away: one runs when it is back, marked.
        clock.advance(by: .seconds(300))
        _ = try await Self.run(server: server, folder: folder, stateDirectory: stateDirectory, clock: clock) { runtime, lines in
            #expect(await lines.through("tick +360 missed") == ["tick +360 missed"])
            await runtime.waitUntilIdle()
            clock.advance(by: .seconds(60))
            #expect(await lines.through("tick +420") == ["tick +420"])
            await runtime.waitUntilIdle()
        }
        // Back at once: no tick was missed, none runs until the next is due.
        let output = try await Self.run(server: server, folder: folder, stateDirectory: stateDirectory, clock: clock) { runtime, lines in
            clock.advance(by: .seconds(60))
            #expect(await lines.through("tick +480") == ["tick +480"])
        }
        #expect(output.texts == ["tick +480"])
        try await server.shutdown()
    }

    /// A remembered pod is gone when the cached pod of its name has another UID: deleted and
    /// created again under its name while kubelua was away, its old incarnation is a tombstone
    /// and the new one a new pod.
    @Test func aPodCreatedAgainUnderItsNameWhileAwayIsATombstoneAndANewPod() async throws {
        let (server, folder, stateDirectory) = try await Self.memoryHook()
        try server.createPod(name: "a", phase: "Running")
        try server.createPod(name: "b", phase: "Running")
        _ = try await Self.run(server: server, folder: folder, stateDirectory: stateDirectory) { _, lines in
            #expect(await lines.through("phase b nil Running") == ["start false seen=nil", "phase a nil Running", "phase b nil Running"])
        }
        try server.delete(name: "b")
        try server.createPod(name: "b")
        let output = try await Self.run(server: server, folder: folder, stateDirectory: stateDirectory) { _, lines in
            #expect(await lines.through("start false seen=2") == ["start false seen=2"])
            #expect(Set(await lines.next(2)) == ["delete b true Running", "phase b nil Pending"])
        }
        #expect(!output.texts.contains { $0.hasPrefix("phase a") })
        #expect(output.failures.isEmpty)
        try await server.shutdown()
    }

    @Test func stateSetPastTheLimitRaisesAtTheLineSayingHowMuchIsUsed() async throws {
        let folder = try HooksFolder(["default/big.lua": """
            function on_add(pod)
              state.set("small", "x")
              state.set("big", string.rep("x", 1000000))
            end
            """])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        await runtime.feed([.added(pod("p", rv: 1))])
        await runtime.waitUntilIdle()
        let message = try #require(output.failures.first?.error.message)
        #expect(message.hasSuffix(#"default/big.lua:3: state.set: 'big' (1000002 bytes) does not fit: this hook's state holds 8 of 921600 bytes (state is for small facts; delete what is no longer needed)"#), "\(message)")
    }

    @Test func aStateWriteThatFailsIsReportedAndWrittenLater() async throws {
        let folder = try HooksFolder(["default/w.lua": "function on_add(pod) state.set(pod.metadata.name, true) end"])
        // The state folder is missing at first: writes fail until it exists.
        let stateDirectory = NSTemporaryDirectory() + "kubelua-state-" + UUID().uuidString
        let output = HookOutput()
        var environment = output.environment()
        environment.stateBackend = { FileStateBackend(directory: stateDirectory, hook: $0) }
        let runtime = HookRuntime(root: folder.root, environment: environment)
        try await runtime.loadAll()
        var failures = output.failureStream.makeAsyncIterator()
        await runtime.feed([.added(pod("p", rv: 1))])
        await runtime.waitUntilIdle()
        // Written after the call, in the background: the failure is reported, the hooks go on.
        let failure = await failures.next()
        #expect(failure?.handler == "state" && failure?.error.message.hasPrefix("cannot write the hook's state") == true)
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        await runtime.writeState()
        let written = try String(contentsOfFile: FileStateBackend(directory: stateDirectory, hook: "default/w.lua").path(of: .values), encoding: .utf8)
        #expect(written == #"{"phaseShards":1,"values":{"p":true}}"#)
    }
}
