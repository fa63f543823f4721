import Foundation

/// Failover of `kubelua run --leader-elect`: two replicas as child processes against a server
/// child of their own, a paced stream of pod updates running through each failover. Each round
/// signals the leader (SIGKILL and SIGTERM in turn), times the standby's takeover from the
/// signal, counts what the failover did to the events (`FailoverTally`), then starts the
/// stopped replica again as the standby, so the next round fails over the other way.
enum TakeoverPhase {
    struct Timings {
        var leaseDuration: Int
        var renewDeadline: Double
        var retryPeriod: Double

        var arguments: [String] {
            ["--lease-duration", "\(leaseDuration)", "--renew-deadline", "\(renewDeadline)", "--retry-period", "\(retryPeriod)"]
        }
    }

    struct Failover {
        /// SIGKILL or SIGTERM.
        var signal: Int32
        /// From the signal to the standby's "this replica leads now".
        var leadsSeconds: Double
        /// From the signal to the new leader's first call for a version sent after it.
        var firstEventSeconds: Double
        /// From the signal to the old leader reaped.
        var exitSeconds: Double
        var tally: FailoverTally
    }

    struct Figures {
        var timings: Timings
        var pods: Int
        var rate: Int
        var failovers: [Failover] = []

        func failovers(after signal: Int32) -> [Failover] { failovers.filter { $0.signal == signal } }
        var lost: Int { failovers.reduce(0) { $0 + $1.tally.lost } }
    }

    enum Outcome {
        case measured(Figures)
        case unavailable(String)
    }

    static func signalName(_ signal: Int32) -> String { signal == SIGKILL ? "SIGKILL" : "SIGTERM" }

    static func run(scratch: BenchScratch, rounds: Int, pods: Int, rate: Int, timings: Timings) async throws -> Outcome {
        let kubelua = URL(fileURLWithPath: try ServerProcess.executablePath()).deletingLastPathComponent().appendingPathComponent("kubelua").path
        guard FileManager.default.isExecutableFile(atPath: kubelua) else {
            return .unavailable("no kubelua beside kubelua-bench (\(kubelua)); `swift build -c release --product kubelua` builds it")
        }
        let server = try await ServerProcess.launch(pods: pods)
        var replicas: [TakeoverReplica] = []
        do {
            let hooks = try scratch.hooksFolder("takeover", scripts: ["takeover.lua": HookScript.takeover])
            let kubeconfig = scratch.file("takeover-kubeconfig")
            try Data("""
                apiVersion: v1
                kind: Config
                clusters: [{name: bench, cluster: {server: "\(server.baseURL)"}}]
                users: [{name: bench, user: {token: not-checked}}]
                contexts: [{name: bench, context: {cluster: bench, user: bench, namespace: default}}]
                current-context: bench
                """.utf8).write(to: kubeconfig)
            let arguments = ["run", "--hooks", hooks.path, "--kubeconfig", kubeconfig.path, "--log-format", "json", "--leader-elect"] + timings.arguments
            // Generous: a takeover after SIGKILL takes up to the lease duration and a retry period.
            let timeout = Double(timings.leaseDuration) * 3 + 20
            func start(_ name: String) throws -> TakeoverReplica {
                let replica = try TakeoverReplica(name: name, kubelua: kubelua, arguments: arguments, children: scratch.children)
                replicas.append(replica)
                return replica
            }
            func standingBy(_ replica: TakeoverReplica, behind leader: String) async throws {
                try await replica.wait("standing by, synced", within: timeout) {
                    $0.message("pods synced") != nil && $0.message("lease holder: \(leader)") != nil
                }
                // A standby replays only once the leader's checkpoint has reached the pods it
                // listed; the part measures takeovers of a standby that has been running, as in a
                // cluster, so it waits for that (the stream is stopped here).
                let listed = try await server.checkpoint().newestPod
                let deadline = MonotonicClock.nanoseconds() + Int64(timeout * 1e9)
                while try await server.checkpoint().checkpoint < listed {
                    guard MonotonicClock.nanoseconds() < deadline else {
                        throw BenchFailure("takeover: the leader's checkpoint did not reach version \(listed) within \(timeout) s")
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }

            var leader = try start("a")
            try await leader.wait("leading, with every pod's initial add handled", within: timeout) {
                $0.message("this replica leads now") != nil && $0.calls.count >= pods
            }
            var standby = try start("b")
            try await standingBy(standby, behind: leader.name)

            var figures = Figures(timings: timings, pods: pods, rate: rate)
            for round in 0..<(2 * rounds) {
                let signal = round % 2 == 0 ? SIGKILL : SIGTERM
                BenchRun.progress("takeover \(round + 1) of \(2 * rounds): \(signalName(signal)) to \(leader.name), \(standby.name) stands by")
                let handledBefore = leader.calls.count
                _ = try await server.request("pace \(rate) \(rate * 600)")
                try await leader.wait("a second of the stream handled", within: timeout) { $0.calls.count >= handledBefore + rate }
                // The signal at a random point of the replicas' renew and read cycles, not at a
                // fixed time after the standby's first read.
                try await Task.sleep(for: .seconds(Double.random(in: 0..<timings.retryPeriod)))

                let signalled = MonotonicClock.nanoseconds()
                leader.signal(signal)
                let log = try await standby.wait("taking over", within: timeout) { $0.message("this replica leads now", after: signalled) != nil }
                let led = log.message("this replica leads now", after: signalled)!
                try await standby.wait("a second of the stream handled after taking over", within: timeout) {
                    $0.calls.count(where: { $0.sentAt > led }) >= rate
                }
                let last = try PacedReply(try await server.request("stop")).lastVersion
                let new = try await standby.wait("the stream's last event handled", within: timeout) {
                    $0.calls.contains { $0.version >= last }
                }.calls.filter { $0.at >= signalled }
                let exited = await leader.exited()

                let sentFile = scratch.file("takeover-sent")
                _ = try await server.request("sent \(sentFile.path)")
                let sent = try String(contentsOf: sentFile, encoding: .utf8).split(separator: "\n").map { line in
                    guard let event = SentEvent(line: line) else { throw BenchFailure("takeover: the server child's sent line \"\(line)\"") }
                    return event
                }
                guard let first = FailoverTally.firstCall(new, sentAfter: signalled) else {
                    throw BenchFailure("takeover: the new leader handled no event sent after the signal")
                }
                let failover = Failover(
                    signal: signal, leadsSeconds: Double(led - signalled) / 1e9, firstEventSeconds: Double(first - signalled) / 1e9,
                    exitSeconds: Double(exited - signalled) / 1e9, tally: FailoverTally(sent: sent, old: leader.calls, new: new))
                if failover.tally.lost > 0 {
                    BenchRun.progress("takeover: LOST \(failover.tally.lost) of \(failover.tally.sent) events after \(signalName(signal)): neither they nor a later version of their pod were handled")
                }
                figures.failovers.append(failover)

                let restarted = try start(leader.name)
                try await standingBy(restarted, behind: standby.name)
                (leader, standby) = (standby, restarted)
            }
            for replica in [leader, standby] { replica.signal(SIGTERM) }
            for replica in [leader, standby] { _ = await replica.exited() }
            await server.stop()
            return .measured(figures)
        } catch {
            for replica in replicas { replica.signal(SIGKILL) }
            await server.stop()
            throw error
        }
    }
}
