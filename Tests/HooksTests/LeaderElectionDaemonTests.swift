import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import LuaGate
import Testing

/// `run --leader-elect` with two replicas in one process over real HTTP against the fake API
/// server, their electors on one virtual clock (client-go's timings: lease 15 s, renew deadline
/// 10 s, retry 2 s): the test moves time, and awaits what the replicas say and the server's
/// log of lease holders, never a sleep. docs/leader-election.md is the contract.
@Suite(.timeLimit(.minutes(1)))
struct LeaderElectionDaemonTests {
    static let hook = """
        function on_start(ctx) print("start") end
        function on_phase(pod, from, to) print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to) end
        function on_delete(pod, ctx) print("delete " .. pod.metadata.name) end
        """

    /// The server with pods `a` and `c` (Pending), the hooks folder, and the shared clock.
    static func cluster(_ hooks: [String: String] = ["default/phases.lua": hook]) async throws -> (FakeAPIServer, HooksFolder, VirtualClock) {
        let server = FakeAPIServer()
        try await server.start()
        try server.createPod(name: "a")
        try server.createPod(name: "c")
        return (server, try HooksFolder(hooks), VirtualClock())
    }

    /// Who held the lease, in order (nil: released).
    static func holders(_ server: FakeAPIServer) -> [String?] {
        server.leaseHolderChanges.filter { $0.name == "kubelua" }.map(\.holder)
    }

    /// Replica `a` leads and has handled its world; `b` has synced and stands by.
    static func leaderAndStandby(_ server: FakeAPIServer, _ folder: HooksFolder, _ clock: VirtualClock) async throws -> (ElectedReplica, ElectedReplica) {
        let a = try await ElectedReplica("a", server: server, folder: folder, clock: clock)
        var lines = HookSettingsDaemonTests.Lines(a.output)
        await a.start()
        #expect(await lines.through("phase c nil Pending") == ["start", "phase a nil Pending", "phase c nil Pending"])
        let b = try await ElectedReplica("b", server: server, folder: folder, clock: clock)
        await b.start()
        #expect(await b.log.wait(for: "lease holder: a"))
        return (a, b)
    }

    /// Stops the replicas still running (a stopped or killed one returns at once), then the server.
    static func finish(_ server: FakeAPIServer, _ replicas: ElectedReplica...) async throws {
        for replica in replicas.reversed() {
            await replica.stop()
            try await replica.shutdown()
        }
        try await server.shutdown()
    }

    @Test func theStandbyTakesOverAfterTheLeaderIsKilledFromTheStateItWroteAndGetsWhatChangedMeanwhileOnce() async throws {
        let (server, folder, clock) = try await Self.cluster()
        let (a, b) = try await Self.leaderAndStandby(server, folder, clock)
        // Warm: b loaded the hook and watches, and called nothing.
        #expect(await b.runtime.loadedHooks == ["default/phases.lua"])
        #expect(b.output.texts.isEmpty)
        await a.runtime.writeState()
        await a.kill()
        #expect(Self.holders(server) == ["a"], "a was killed: it released nothing")

        // While nobody leads: a runs, c is deleted, d appears.
        try server.setPhase(name: "a", "Running")
        try server.delete(name: "c")
        #expect(await b.sawStandingBy(try server.createPod(name: "d")))
        // b saw the lease change at 0; 16 s later by its own clock it is free to take.
        var lines = HookSettingsDaemonTests.Lines(b.output)
        clock.advance(by: .seconds(16))
        #expect(await lines.through("start") == ["start"])
        var rest: [String] = []
        while rest.count < 3, let line = await lines.iterator.next() { rest.append(line.text) }
        // Each transition exactly once, from the phases a remembered; none a handled again.
        #expect(Set(rest) == ["phase a Pending Running", "delete c", "phase d nil Pending"], "\(rest)")
        #expect(Self.holders(server) == ["a", "b"])
        #expect(!a.output.texts.contains { $0.hasPrefix("phase a Pending") || $0.hasPrefix("phase d") })
        #expect(b.metrics.contains(#"kubelua_leader{lease="kubelua/kubelua"} 1"#), "\(b.metrics)")
        try await Self.finish(server, a, b)
    }

    static let everyEvent = """
        function on_start(ctx) print("start") end
        local function says(ctx) return (ctx.replayed and " replayed" or "") .. (ctx.initial and " initial" or "") end
        function on_add(pod, ctx) print("add " .. pod.metadata.name .. says(ctx)) end
        function on_update(old, pod, ctx) print("update " .. pod.metadata.name .. " " .. pod.status.phase .. says(ctx)) end
        function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. says(ctx)) end
        function on_phase(pod, from, to) print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to) end
        """

    /// The next `count` lines of a replica's hooks.
    static func next(_ count: Int, of lines: inout HookSettingsDaemonTests.Lines) async -> [String] {
        var seen: [String] = []
        while seen.count < count, let line = await lines.iterator.next() { seen.append(line.text) }
        return seen
    }

    @Test func afterTheLeaderIsKilledTheStandbyReplaysExactlyWhatItSawAfterTheCheckpointMarkedReplayed() async throws {
        let (server, folder, clock) = try await Self.cluster(["default/events.lua": Self.everyEvent])
        try server.createPod(name: "e")
        let a = try await ElectedReplica("a", server: server, folder: folder, clock: clock)
        var led = HookSettingsDaemonTests.Lines(a.output)
        await a.start()
        #expect(Set(await Self.next(7, of: &led)) == [
            "start", "add a initial", "add c initial", "add e initial", "phase a nil Pending", "phase c nil Pending", "phase e nil Pending",
        ])
        // Handled by a and inside its checkpoint: never again.
        let running = try server.setPhase(name: "a", "Running")
        #expect(await led.through("phase a Pending Running") == ["update a Running", "phase a Pending Running"])
        let checkpoint = await a.checkpoint(server: server, clock: clock)
        #expect(checkpoint == LeaseCheckpoint(handledThrough: ["default": UInt64(running.resourceVersion)!]))
        // b lists at the checkpoint's version and reads the Lease once; the clock stands still
        // until the takeover, so b's next read comes when the lease has run out.
        let b = try await ElectedReplica("b", server: server, folder: folder, clock: clock)
        await b.start()
        #expect(await b.log.wait(for: "lease holder: a"))
        // Handled by a (and its state written) after its checkpoint: replayed, marked.
        try server.setPhase(name: "c", "Running")
        #expect(await led.through("phase c Pending Running") == ["update c Running", "phase c Pending Running"])
        await a.runtime.waitUntilIdle()
        await a.runtime.writeState()
        await a.kill()

        // While nobody leads.
        try server.createPod(name: "d")
        #expect(await b.sawStandingBy(try server.setPhase(name: "a", "Succeeded")))
        var lines = HookSettingsDaemonTests.Lines(b.output)
        clock.advance(by: .seconds(16))
        let taken = await Self.next(7, of: &lines)
        #expect(Set(taken) == [
            "start", "add e initial", "update c Running replayed", "add d replayed", "phase d nil Pending",
            "update a Succeeded replayed", "phase a Running Succeeded",
        ], "\(taken)")
        #expect(taken.filter { $0.contains(" a ") } == ["update a Succeeded replayed", "phase a Running Succeeded"], "per-pod order")
        // c's phase was handled and written by a: the replayed update calls no on_phase.
        #expect(await b.log.wait(for: "leading: every hook starts from the state the last leader wrote; 3 event(s) seen after its checkpoint are replayed"))
        #expect(Self.holders(server) == ["a", "b"])
        try await Self.finish(server, a, b)
    }

    @Test func aStandbyWhoseHistoryDoesNotReachBackToTheCheckpointTakesTheRestartPathAndSaysWhy() async throws {
        let (server, folder, clock) = try await Self.cluster(["default/events.lua": Self.everyEvent])
        let a = try await ElectedReplica("a", server: server, folder: folder, clock: clock)
        var led = HookSettingsDaemonTests.Lines(a.output)
        await a.start()
        _ = await Self.next(5, of: &led)
        #expect(await a.checkpoint(server: server, clock: clock) != nil)
        let b = try await ElectedReplica("b", server: server, folder: folder, clock: clock, history: EventHistory.Limits(events: 1, bytes: .max))
        await b.start()
        #expect(await b.log.wait(for: "lease holder: a"))
        await a.runtime.writeState()
        await a.kill()
        try server.setPhase(name: "a", "Running")
        #expect(await b.sawStandingBy(try server.setPhase(name: "c", "Running")))
        var lines = HookSettingsDaemonTests.Lines(b.output)
        clock.advance(by: .seconds(16))
        let taken = await Self.next(5, of: &lines)
        // Every pod as an initial add, on_phase from the phase a remembered: nothing is replayed.
        #expect(Set(taken) == ["start", "add a initial", "add c initial", "phase a Pending Running", "phase c Pending Running"], "\(taken)")
        #expect(await b.log.wait(for: "no replay for this watch: "))
        let why = b.log.all.last { $0.hasPrefix("no replay for this watch: ") }
        #expect(why?.hasPrefix("no replay for this watch: the history reaches back to resource version") == true, "\(b.log.all)")
        try await Self.finish(server, a, b)
    }

    @Test func aGracefulStopDrainsThenReleasesAndTheStandbyTakesOverWithinOneRetryPeriod() async throws {
        let (server, folder, clock) = try await Self.cluster()
        let (a, b) = try await Self.leaderAndStandby(server, folder, clock)
        let running = try server.setPhase(name: "c", "Running")
        var lines = HookSettingsDaemonTests.Lines(a.output)
        #expect(await lines.through("phase c Pending Running") == ["phase c Pending Running"])
        await a.stop()
        #expect(Self.holders(server) == ["a", nil], "released after the drain")
        // The release carries the drained leader's last checkpoint: everything it saw.
        let last = LeaseCheckpoint(handledThrough: ["default": UInt64(running.resourceVersion)!])
        #expect(server.leaseAnnotationChanges.last?.annotations[LeaseCheckpoint.annotation] == last.annotationValue)
        #expect(a.metrics.contains(#"kubelua_leader_transitions_total{lease="kubelua/kubelua",transition="released"} 1"#), "\(a.metrics)")

        // b reads the lease every retry period: one is enough.
        var taken = HookSettingsDaemonTests.Lines(b.output)
        clock.advance(by: .seconds(2))
        #expect(await taken.through("start") == ["start"])
        #expect(Self.holders(server) == ["a", nil, "b"])
        #expect(await b.log.wait(for: "leading: every hook starts from the state the last leader wrote; 0 event(s) seen after its checkpoint"))
        // The state a wrote at shutdown: no transition is handled a second time.
        try server.setPhase(name: "a", "Succeeded")
        #expect(await taken.through("phase a Pending Succeeded") == ["phase a Pending Succeeded"])
        try await Self.finish(server, a, b)
    }

    @Test func aConflictOnRenewStopsTheLeaderAtOnceItsRunningCallFinishesWithoutWritingAndNothingQueuedRuns() async throws {
        let gate = Gate()
        let (server, folder, clock) = try await Self.cluster(["default/slow.lua": """
            function on_start(ctx) print("start") end
            function on_update(old, pod, ctx)
              if pod.status.phase ~= "Running" then return end
              gate.wait(pod.metadata.name)
              local _, err = kube.event(pod, {type = "Normal", reason = "Late", message = "after the fence"})
              state.set("late", true)
              print("event: " .. (err and err.reason or "written"))
            end
            function on_phase(pod, from, to) print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to) end
            """])
        let a = try await ElectedReplica("a", server: server, folder: folder, clock: clock, modules: { _ in [gate.module] })
        var lines = HookSettingsDaemonTests.Lines(a.output)
        await a.start()
        #expect(await lines.through("phase c nil Pending") == ["start", "phase a nil Pending", "phase c nil Pending"])
        try server.setPhase(name: "a", "Running")
        var arrivals = gate.arrived.makeAsyncIterator()
        #expect(await arrivals.next() == "a")
        // Queued behind the running call of pod a.
        try server.setPhase(name: "a", "Succeeded")

        // Another replica wins the lease in between; a's next renewal gets 409.
        let intruder = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: Logger(label: "test"))
        var lease = try #require(try await intruder.lease(namespace: "kubelua", name: "kubelua", timeout: .seconds(10)))
        lease.record.holderIdentity = "intruder"
        _ = try await intruder.update(lease, timeout: .seconds(10))
        clock.advance(by: .seconds(2))
        #expect(await a.log.wait(for: "this replica stopped leading: another replica wrote the lease (409)"))
        #expect(!a.elector.leadership.isLeading)

        var failures = a.output.failureStream.makeAsyncIterator()
        gate.release("a")
        #expect(await a.log.wait(for: "standing by"))
        let refused = await failures.next()
        #expect(refused?.handler == "state" && refused?.error.message.contains("this replica no longer leads (lease kubelua/kubelua)") == true, "\(String(describing: refused))")
        let stored = server.objects(.configMaps, namespace: "kubelua").compactMap { ($0["data"] as? [String: String])?["state.json"] }
        #expect(!stored.isEmpty && !stored.contains { $0.contains("late") }, "\(stored)")
        // The running call finished; its write was refused; its on_phase and the queued event never ran.
        #expect(a.output.texts.suffix(1) == ["event: NotLeader"], "\(a.output.texts)")
        #expect(!a.output.texts.contains { $0.hasPrefix("phase a Pending") || $0.hasPrefix("phase a Running") })
        #expect(Self.holders(server) == ["a", "intruder"])
        #expect(a.metrics.contains(#"kubelua_leader_transitions_total{lease="kubelua/kubelua",transition="conflict"} 1"#), "\(a.metrics)")
        try await intruder.shutdown()
        try await Self.finish(server, a)
    }

    @Test func aLeaderCutOffFromTheServerFencesItselfAtItsRenewDeadlineBeforeTheStandbyMayTakeOver() async throws {
        let (server, folder, clock) = try await Self.cluster()
        let (a, b) = try await Self.leaderAndStandby(server, folder, clock)
        let cut = await server.cutOff(bearerToken: "a")
        // By the renew deadline (10 s after a's last write was sent) a no longer leads, by its
        // clock alone, whatever its elector has done yet.
        clock.advance(by: .seconds(9))
        #expect(a.elector.leadership.isLeading)
        clock.advance(by: .seconds(1))
        #expect(!a.elector.leadership.isLeading)
        #expect(await a.log.wait(for: "this replica stopped leading: no renewal succeeded within the renew deadline"))
        #expect(Self.holders(server) == ["a"], "b waits for the lease duration")
        #expect(!b.runtime.isLeading)

        var lines = HookSettingsDaemonTests.Lines(b.output)
        clock.advance(by: .seconds(6))
        #expect(await lines.through("start") == ["start"])
        #expect(Self.holders(server) == ["a", "b"])
        #expect(a.metrics.contains(#"kubelua_leader_transitions_total{lease="kubelua/kubelua",transition="renew_deadline"} 1"#), "\(a.metrics)")

        // Healed, a finds b leading and stands by.
        server.removeFault(cut)
        clock.advance(by: .seconds(2))
        #expect(await a.log.wait(for: "lease holder: b"))
        #expect(!a.runtime.isLeading)
        try await Self.finish(server, a, b)
    }

    @Test func aStandbyIsReadyAndSaysItStandsByNamingTheHolder() async throws {
        let (server, folder, clock) = try await Self.cluster()
        let (a, b) = try await Self.leaderAndStandby(server, folder, clock)
        let metrics = KubeluaMetrics()
        let standby = await ObservabilityEndpoints(daemon: b.daemon, metrics: metrics).respond(to: "/readyz")
        #expect(standby.status == 200)
        #expect(String(decoding: standby.body, as: UTF8.self) == """
            ready: 1 of 1 hook(s) loaded; synced: default; standby (lease kubelua/kubelua held by a); \
            no checkpoint on the lease yet: a takeover now takes the restart path

            """)
        // A standby that read the leader's checkpoint and whose history reaches back to it.
        #expect(await a.checkpoint(server: server, clock: clock) != nil)
        let c = try await ElectedReplica("c", server: server, folder: folder, clock: clock)
        await c.start()
        #expect(await c.log.wait(for: "lease holder: a"))
        let warm = await ObservabilityEndpoints(daemon: c.daemon, metrics: metrics).respond(to: "/readyz")
        #expect(String(decoding: warm.body, as: UTF8.self).hasSuffix("held by a); its history reaches back to the checkpoint: a takeover now replays\n"))
        let leader = await ObservabilityEndpoints(daemon: a.daemon, metrics: metrics).respond(to: "/readyz")
        #expect(String(decoding: leader.body, as: UTF8.self) == "ready: 1 of 1 hook(s) loaded; synced: default; leading (lease kubelua/kubelua)\n")
        #expect(b.metrics.contains(#"kubelua_leader{lease="kubelua/kubelua"} 0"#), "\(b.metrics)")
        #expect(a.metrics.contains(#"kubelua_leader{lease="kubelua/kubelua"} 1"#), "\(a.metrics)")
        try await Self.finish(server, a, b, c)
    }
}
