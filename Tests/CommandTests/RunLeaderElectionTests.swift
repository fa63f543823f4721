import FakeAPIServer
import Foundation
import Glibc
import Testing

/// Two `kubelua run --leader-elect` processes on one fake API server, with short real timings:
/// one runs the hooks, the other stands by; on SIGTERM the leader releases the Lease and the
/// standby takes over at once; after SIGKILL it takes over once the lease has run out. The
/// hooks' state comes from the ConfigMap the first leader wrote.
@Suite(.timeLimit(.minutes(2)))
struct RunLeaderElectionTests {
    static let hook = """
        function on_start(ctx) print("start") end
        function on_phase(pod, from, to) print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to) end
        function on_update(old, pod, ctx) if ctx.replayed then print("replayed " .. pod.metadata.name .. " " .. pod.status.phase) end end
        """

    /// A replica named `name` (its POD_NAME) and the messages it logs, hook lines and kubelua's own.
    struct Replica {
        let process: KubeluaProcess
        var messages: AsyncCompactMapSequence<AsyncStream<String>, String>.AsyncIterator

        init(_ name: String, folder: String, kubeconfig: String, leaseSeconds: Int, logLevel: String = "info", shards: Int = 1) throws {
            process = try KubeluaProcess(
                ["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json", "--log-level", logLevel, "--leader-elect",
                 "--lease-duration", "\(leaseSeconds)", "--renew-deadline", "1.5", "--retry-period", "0.25", "--shards", "\(shards)"],
                environment: ["POD_NAME": name], readingErrors: true)
            messages = process.lines.compactMap { line -> String? in
                let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
                #expect(record?["level"] as? String != "error", "\(line)")
                return record?["message"] as? String
            }.makeAsyncIterator()
        }

        /// The messages up to the first equal to `last`.
        mutating func through(_ last: String) async -> [String] {
            await through(all: [last])
        }

        /// The messages up to the point where each of `awaited` has been seen.
        mutating func through(all awaited: Set<String>) async -> [String] {
            var seen: [String] = []
            while !awaited.isSubset(of: seen), let message = await messages.next() { seen.append(message) }
            return seen
        }
    }

    static func cluster() async throws -> (FakeAPIServer, folder: String, kubeconfig: String) {
        let server = FakeAPIServer()
        try await server.start()
        let folder = NSTemporaryDirectory() + "kubelua-ha-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try hook.write(toFile: folder + "/default/h.lua", atomically: true, encoding: .utf8)
        try server.createPod(name: "a")
        return (server, folder, try writeKubeconfig(in: folder, server: server))
    }

    static func holders(_ server: FakeAPIServer) -> [String?] { server.leaseHolderChanges.map(\.holder) }

    /// The version of the `default` watch in a checkpoint annotation (0 when it names none).
    static func checkpoint(_ annotation: String) -> UInt64 {
        let object = (try? JSONSerialization.jsonObject(with: Data(annotation.utf8))) as? [String: String]
        return object?["default"].flatMap { UInt64($0) } ?? 0
    }

    @Test func onSIGTERMTheLeaderDrainsAndReleasesAndTheStandbyTakesOverAtOnce() async throws {
        let (server, folder, kubeconfig) = try await Self.cluster()
        // A lease far longer than the test: only a release can hand it over in time.
        var first = try Replica("first", folder: folder, kubeconfig: kubeconfig, leaseSeconds: 600)
        #expect(await first.through("phase a nil Pending").contains("start"))
        var second = try Replica("second", folder: folder, kubeconfig: kubeconfig, leaseSeconds: 600)
        #expect(await second.through(all: ["lease holder: first", "pods synced"]).count >= 2)

        first.process.terminate()
        #expect(await first.process.exitStatus() == 0)
        let taken = await server.waitForLeaseHolderChange { $0.holder == "second" }
        #expect(Self.holders(server) == ["first", nil, "second"])
        let released = try #require(server.leaseHolderChanges.first { $0.holder == nil })
        #expect(taken.map { $0.time.timeIntervalSince(released.time) < 60 } == true, "taken at the next read, not when the lease ran out")
        // The state the first wrote: a's phase is not handled again.
        try server.setPhase(name: "a", "Running")
        #expect(await second.through("phase a Pending Running").filter { $0.hasPrefix("phase") || $0 == "start" } == ["start", "phase a Pending Running"])
        second.process.terminate()
        #expect(await second.process.exitStatus() == 0)
        try await server.shutdown()
    }

    @Test func afterSIGKILLTheStandbyTakesOverWhenTheLeaseRunsOut() async throws {
        let (server, folder, kubeconfig) = try await Self.cluster()
        var first = try Replica("first", folder: folder, kubeconfig: kubeconfig, leaseSeconds: 2)
        #expect(await first.through("phase a nil Pending").contains("start"))
        var second = try Replica("second", folder: folder, kubeconfig: kubeconfig, leaseSeconds: 2, logLevel: "trace")
        #expect(await second.through(all: ["lease holder: first", "pods synced"]).count >= 2)
        // The first's checkpoint on the Lease covers pod a as the second listed it.
        let pod = try #require(server.pod(name: "a"))
        let listed = try #require(UInt64(pod.resourceVersion))
        _ = await server.waitForLeaseAnnotationChange { change in
            change.annotations["kubelua.io/checkpoint"].map { Self.checkpoint($0) >= listed } == true
        }

        // No replica takes the Lease until the second has seen the change as a standby: else,
        // on a loaded machine, the lease can run out before the change reaches it.
        let held = server.inject(.refuse(code: 409), on: .request(verb: "update", resource: "leases"), .always)
        kill(first.process.processIdentifier, SIGKILL)
        _ = await first.process.exitStatus()
        // While nobody leads: the second sees it as a standby and replays it, marked.
        let changed = try server.setPhase(name: "a", "Running")
        _ = await second.through("standing by: events through resourceVersion \(changed.resourceVersion) seen; a takeover replays those after the checkpoint")
        server.removeFault(held)
        let leading = "leading: every hook starts from the state the last leader wrote; 1 event(s) seen after its checkpoint are replayed"
        let taken = await second.through(all: ["phase a Pending Running", leading])
        #expect(taken.filter { $0 == "start" || $0.hasPrefix("replayed") || $0.hasPrefix("phase") } == ["start", "replayed a Running", "phase a Pending Running"])
        #expect(Self.holders(server) == ["first", "second"], "nothing released")
        second.process.terminate()
        #expect(await second.process.exitStatus() == 0)
        try await server.shutdown()
    }

    /// `--shards 2`: the second replica takes the shard the first releases when it joins, and
    /// on SIGTERM the first releases the other after its drain; a lease far longer than the
    /// test, so only releases hand shards over. Each pod's change reaches its shard's holder.
    @Test func withShardsTheSecondTakesTheShardTheFirstReleasesAndOnSIGTERMTheOtherOneToo() async throws {
        let (server, folder, kubeconfig) = try await Self.cluster()
        // "a" is in shard 0 (FNV-1a-64 of "default/a" is even), "b" in shard 1.
        try server.createPod(name: "b")
        var first = try Replica("first", folder: folder, kubeconfig: kubeconfig, leaseSeconds: 600, shards: 2)
        #expect(await first.through(all: ["phase a nil Pending", "phase b nil Pending"]).filter { $0 == "start" }.count == 2, "on_start once per shard")
        var second = try Replica("second", folder: folder, kubeconfig: kubeconfig, leaseSeconds: 600, shards: 2)
        _ = await second.through("shard members: first, second; this replica holds at most 1 of 2 shard(s)")
        _ = await server.waitForLeaseHolderChange { $0.name == "kubelua-shard-1" && $0.holder == "second" }
        _ = await second.through("leading: every hook starts from the state the last leader wrote; 0 event(s) seen after its checkpoint are replayed")
        #expect(server.leaseHolderChanges.filter { $0.name == "kubelua-shard-1" }.map(\.holder) == ["first", nil, "second"])
        try server.setPhase(name: "b", "Running")
        try server.setPhase(name: "a", "Running")
        #expect(await second.through("phase b Pending Running").allSatisfy { !$0.hasPrefix("phase a") })
        #expect(await first.through("phase a Pending Running").allSatisfy { !$0.hasPrefix("phase b Pending") })

        first.process.terminate()
        #expect(await first.process.exitStatus() == 0)
        _ = await server.waitForLeaseHolderChange { $0.name == "kubelua-shard-0" && $0.holder == "second" }
        #expect(server.leaseHolderChanges.filter { $0.name == "kubelua-shard-0" }.map(\.holder) == ["first", nil, "second"], "released after the drain")
        // The state the first wrote for shard 0: a's phase is not handled again.
        try server.setPhase(name: "a", "Succeeded")
        let taken = await second.through("phase a Running Succeeded").filter { $0.hasPrefix("phase a") }
        #expect(taken == ["phase a Running Succeeded"])
        second.process.terminate()
        #expect(await second.process.exitStatus() == 0)
        try await server.shutdown()
    }
}
