import FakeAPIServer
import Foundation
import Hooks
import Kube
import LuaGate
import Testing

/// `run --leader-elect --shards 3` with two replicas in one process over real HTTP against the
/// fake API server, on one virtual clock (client-go's timings). The test moves the clock a
/// retry period at a time, each time once every elector of every replica waits (`settle`), and
/// reads who holds which shard from the server: never a sleep. docs/leader-election.md, "Shards".
@Suite(.timeLimit(.minutes(1)))
struct ShardedDaemonTests {
    static let shards = 3

    static let hook = """
        local function says(ctx) return (ctx.replayed and " replayed" or "") .. (ctx.initial and " initial" or "") end
        function on_add(pod, ctx) print("add " .. pod.metadata.name .. " " .. pod.status.phase .. says(ctx)) end
        function on_update(old, pod, ctx) print("update " .. pod.metadata.name .. " " .. pod.status.phase .. says(ctx)) end
        """

    static func shard(of pod: String) -> Int { PodShard.index(of: PodKey(namespace: "default", name: pod), count: shards) }

    /// Who holds each shard's Lease, as the server stored it last.
    static func holders(_ server: FakeAPIServer) -> [String?] {
        let changes = server.leaseHolderChanges
        return (0..<shards).map { k in changes.last { $0.name == "kubelua-shard-\(k)" }?.holder ?? nil }
    }

    /// Moves the clock a retry period at a time, each time once every replica settled, until
    /// the shards are held as `expected`; returns the rounds it took (nil: not within 20).
    static func rounds(until expected: [String?], _ server: FakeAPIServer, _ clock: VirtualClock, _ replicas: ElectedReplica...) async -> Int? {
        for round in 0...20 {
            for replica in replicas { await replica.settle(clock) }
            if holders(server) == expected { return round }
            clock.advance(by: .seconds(2))
        }
        return nil
    }

    /// The lines `output` printed so far about `pod`.
    static func lines(_ output: HookOutput, about pod: String) -> [String] {
        output.texts.filter { $0.split(separator: " ").dropFirst().first.map(String.init) == pod }
    }

    /// Two replicas after the join: `a` took all three shards alone, then `b` joined and took
    /// shard 2 (released by `a`) and started it; each has printed its initial adds.
    struct Joined {
        let server: FakeAPIServer
        let clock: VirtualClock
        let a: ElectedReplica, b: ElectedReplica
        var aLines: HookSettingsDaemonTests.Lines, bLines: HookSettingsDaemonTests.Lines
        let pods: [String]
        /// The pods of shard 2, and the others.
        let moved: [String], kept: [String]

        func finish() async throws {
            for replica in [a, b] {
                await replica.stop()
                try await replica.shutdown()
            }
            try await server.shutdown()
        }
    }

    static func joined() async throws -> Joined {
        let server = FakeAPIServer()
        try await server.start()
        let pods = (0..<9).map { "p\($0)" }
        for pod in pods { try server.createPod(name: pod) }
        let moved = pods.filter { Self.shard(of: $0) == 2 }, kept = pods.filter { Self.shard(of: $0) != 2 }
        try #require(Set(pods.map(Self.shard(of:))) == [0, 1, 2], "each shard has pods")
        let folder = try HooksFolder(["default/events.lua": Self.hook])
        let clock = VirtualClock()

        // a alone: its quota is every shard, and it takes them without waiting for the clock.
        let a = try await ElectedReplica("a", server: server, folder: folder, clock: clock, shards: Self.shards)
        var aLines = HookSettingsDaemonTests.Lines(a.output)
        await a.start()
        #expect(await Self.rounds(until: ["a", "a", "a"], server, clock, a) == 0)
        #expect(Set(await aLines.next(pods.count)) == Set(pods.map { "add \($0) Pending initial" }))

        // b joins: a releases its highest-numbered shard, b takes it and starts it as a takeover.
        let b = try await ElectedReplica("b", server: server, folder: folder, clock: clock, shards: Self.shards)
        var bLines = HookSettingsDaemonTests.Lines(b.output)
        await b.start()
        #expect(b.output.texts.isEmpty, "a standby of every shard")
        let rounds = await Self.rounds(until: ["a", "a", "b"], server, clock, a, b)
        #expect(rounds.map { $0 <= 4 } == true, "within two rounds of each: \(String(describing: rounds))")
        #expect(a.log.all.contains { $0.hasPrefix("shard members: a, b; this replica holds at most 2 of 3 shard(s)") })
        #expect(Set(await bLines.next(moved.count)) == Set(moved.map { "add \($0) Pending initial" }))
        #expect(server.leaseHolderChanges.filter { $0.name == "kubelua-shard-2" }.map(\.holder) == ["a", nil, "b"], "released, then taken")
        return Joined(server: server, clock: clock, a: a, b: b, aLines: aLines, bLines: bLines, pods: pods, moved: moved, kept: kept)
    }

    @Test func shardsRebalanceWhenAMemberJoinsAndWhenOneDiesAndEachPodsEventsGoToItsShardsOneLiveHolder() async throws {
        var joined = try await Self.joined()
        let (server, clock, a, b, pods, moved, kept) = (joined.server, joined.clock, joined.a, joined.b, joined.pods, joined.moved, joined.kept)

        for (replica, held) in [(a, "2 of 3 shard(s): 0, 1"), (b, "1 of 3 shard(s): 2")] {
            let ready = await ObservabilityEndpoints(daemon: replica.daemon, metrics: KubeluaMetrics()).respond(to: "/readyz")
            #expect(String(decoding: ready.body, as: UTF8.self) == "ready: 1 of 1 hook(s) loaded; synced: default; holding \(held)\n")
        }

        // Each pod's events go to its shard's holder alone.
        for pod in pods { try server.setPhase(name: pod, "Running") }
        #expect(Set(await joined.aLines.next(kept.count)) == Set(kept.map { "update \($0) Running" }))
        #expect(Set(await joined.bLines.next(moved.count)) == Set(moved.map { "update \($0) Running" }))
        for runtime in a.runtimes + b.runtimes { await runtime.waitUntilIdle() }
        for pod in pods {
            let holder = Self.shard(of: pod) == 2 ? b : a, other = Self.shard(of: pod) == 2 ? a : b
            #expect(Self.lines(holder.output, about: pod).last == "update \(pod) Running")
            #expect(!Self.lines(other.output, about: pod).contains("update \(pod) Running"), "\(pod) went to one holder")
        }
        // b's checkpoint of shard 2 (its state written), stored with its next renewal.
        await b.runtimes[2].waitUntilIdle()
        let checkpoint = try #require(await b.runtimes[2].publishCheckpoint())
        clock.advance(by: .seconds(2))
        _ = await server.waitForLeaseAnnotationChange {
            $0.name == "kubelua-shard-2" && $0.annotations[LeaseCheckpoint.annotation] == checkpoint.annotationValue
        }

        // b dies: once its member Lease has not changed for its duration by a's clock, a takes
        // shard 2 back and replays what it saw standing by after b's checkpoint, marked.
        await a.settle(clock)
        await b.settle(clock)
        await b.kill()
        let last = try #require(moved.first)
        #expect(await a.sawStandingBy(try server.setPhase(name: last, "Succeeded")))
        let died = await Self.rounds(until: ["a", "a", "a"], server, clock, a)
        #expect(died.map { $0 >= 7 && $0 <= 10 } == true, "after the 15 s lease: \(String(describing: died))")
        #expect(a.log.all.contains { $0.hasPrefix("shard members: a; this replica holds at most 3 of 3 shard(s)") })
        let taken = await joined.aLines.next(moved.count)
        #expect(Set(taken) == Set(moved.map { $0 == last ? "update \($0) Succeeded replayed" : "add \($0) Running initial" }), "\(taken)")
        #expect(a.metrics.contains(#"kubelua_leader{lease="kubelua/kubelua-shard-2"} 1"#), "\(a.metrics)")
        #expect(!b.output.texts.contains { $0.contains("Succeeded") })

        try await joined.finish()
    }

    /// A shard moving to a member that joined: its holder stops taking its events, finishes the
    /// call it is running, and only then releases, with a checkpoint that covers that call; the
    /// next holder replays only what came after.
    @Test func aShardMovesOnlyOnceItsHolderHasFinishedTheCallItIsRunningAndTheNextHolderReplaysOnlyWhatCameAfter() async throws {
        let server = FakeAPIServer()
        try await server.start()
        let pods = (0..<9).map { "p\($0)" }
        for pod in pods { try server.createPod(name: pod) }
        let moved = pods.filter { Self.shard(of: $0) == 2 }
        try #require(moved.count >= 2, "shard 2 has two pods")
        let (held, later) = (moved[0], moved[1])
        let gate = Gate()
        let folder = try HooksFolder(["default/events.lua": """
            local function says(ctx) return (ctx.replayed and " replayed" or "") .. (ctx.initial and " initial" or "") end
            function on_add(pod, ctx) print("add " .. pod.metadata.name .. " " .. pod.status.phase .. says(ctx)) end
            function on_update(old, pod, ctx)
              if pod.metadata.name == "\(held)" then gate.wait(pod.metadata.name) end
              print("update " .. pod.metadata.name .. " " .. pod.status.phase .. says(ctx))
            end
            """])
        let clock = VirtualClock()
        let a = try await ElectedReplica("a", server: server, folder: folder, clock: clock, modules: { _ in [gate.module] }, shards: Self.shards)
        var aLines = HookSettingsDaemonTests.Lines(a.output)
        await a.start()
        #expect(await Self.rounds(until: ["a", "a", "a"], server, clock, a) == 0)
        #expect(await aLines.next(pods.count).count == pods.count)
        try server.setPhase(name: held, "Running")
        var arrivals = gate.arrived.makeAsyncIterator()
        #expect(await arrivals.next() == held)

        // b joins while a's call for `held` waits: a hands shard 2 over, and holds it meanwhile.
        let b = try await ElectedReplica("b", server: server, folder: folder, clock: clock, modules: { _ in [gate.module] }, shards: Self.shards)
        var bLines = HookSettingsDaemonTests.Lines(b.output)
        await b.start()
        #expect(await Self.rounds(until: ["a", "a", "b"], server, clock, a, b) == nil, "not released while the call runs")
        #expect(a.log.all.contains { $0.hasPrefix("handing the work over before releasing the lease") && $0.contains("kubelua-shard-2") })
        #expect(server.leaseHolderChanges.filter { $0.name == "kubelua-shard-2" }.map(\.holder) == ["a"])
        #expect(await b.sawStandingBy(try server.setPhase(name: later, "Running")))

        gate.release(held)
        #expect(await aLines.next(1) == ["update \(held) Running"])
        // Released once the call is done and the checkpoint published (no clock needed), then taken.
        _ = await server.waitForLeaseHolderChange { $0.name == "kubelua-shard-2" && $0.holder == nil }
        let rounds = await Self.rounds(until: ["a", "a", "b"], server, clock, a, b)
        #expect(rounds.map { $0 <= 2 } == true, "\(String(describing: rounds))")
        #expect(server.leaseHolderChanges.filter { $0.name == "kubelua-shard-2" }.map(\.holder) == ["a", nil, "b"])
        // The change a no longer took is b's, replayed; `held`'s was done by a: an initial add.
        let taken = await bLines.next(moved.count)
        #expect(Set(taken) == Set(moved.map { $0 == later ? "update \($0) Running replayed" : "add \($0) \($0 == held ? "Running" : "Pending") initial" }), "\(taken)")
        for runtime in a.runtimes { await runtime.waitUntilIdle() }
        #expect(!a.output.texts.contains { $0.hasPrefix("update \(later)") }, "a took nothing after the hand-over began")
        for replica in [a, b] {
            await replica.stop()
            try await replica.shutdown()
        }
        try await server.shutdown()
    }

    @Test func aGracefulStopReleasesEveryShardAfterTheDrainWithItsLastCheckpointAndTheOtherTakesThemWithinARound() async throws {
        var joined = try await Self.joined()
        let (server, clock, a, b, moved) = (joined.server, joined.clock, joined.a, joined.b, joined.moved)
        for pod in moved { try server.setPhase(name: pod, "Running") }
        #expect(Set(await joined.bLines.next(moved.count)) == Set(moved.map { "update \($0) Running" }))
        await a.settle(clock)
        await b.stop()
        #expect(server.leaseHolderChanges.filter { $0.name == "kubelua-shard-2" }.map(\.holder) == ["a", nil, "b", nil])
        #expect(server.leaseHolderChanges.last { $0.name == "kubelua-member-b" }?.holder == nil, "its member Lease released last")
        let rounds = await Self.rounds(until: ["a", "a", "a"], server, clock, a)
        #expect(rounds.map { $0 <= 2 } == true, "\(String(describing: rounds))")
        // b's release carried everything it handled: nothing to replay, each pod as it is now.
        #expect(Set(await joined.aLines.next(moved.count)) == Set(moved.map { "add \($0) Running initial" }))
        #expect(a.log.all.contains {
            $0.hasPrefix("leading: every hook starts from the state the last leader wrote; 0 event(s)") && $0.contains("lease=kubelua/kubelua-shard-2")
        })
        try await joined.finish()
    }
}
