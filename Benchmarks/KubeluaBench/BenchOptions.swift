import ArgumentParser
import Foundation

/// Sizes of each part. The defaults are the issue's; smaller ones make a quick run, e.g.
/// `--pods 2000 --events 20000 --latency-events 4000 --scaling-calls 10000 --reloads 3`.
struct BenchOptions: ParsableArguments {
    @Option(help: "Pods the server child lists (the cache kubelua holds).")
    var pods = 10_000

    @Option(help: "MODIFIED events of the throughput stream (one hook).")
    var events = 100_000

    @Option(help: "Hooks loaded for the memory figure (each pod is updated once).")
    var memoryHooks = 5

    @Option(help: "Events per second of the latency stream.")
    var latencyRate = 2_000

    @Option(help: "Events of the latency stream (at least 10 s of them by default).")
    var latencyEvents = 20_000

    @Option(help: "Hook reloads to time.")
    var reloads = 5

    @Option(help: "Events per second flowing while hooks reload.")
    var reloadRate = 200

    @Option(help: "Hook counts to scale over, comma-separated.")
    var scalingHooks = "1,10,50"

    @Option(help: "Handler calls per hook count when scaling (events = calls / hooks), so each point takes about as long.")
    var scalingCalls = 60_000

    @Option(help: "Events for the Python kubernetes peer (at most 10,000: the server's history).")
    var pythonEvents = 5_000

    @Option(help: "Events the server child streams unpaced (as fast as it can) into 5 hooks, once with the default backlog bound, once without.")
    var unpacedEvents = 100_000

    @Option(help: "Failovers of the takeover part after SIGKILL, and as many after SIGTERM (alternating).")
    var takeoverRounds = 5

    @Option(help: "Pods of the takeover part's own server child (each replica caches them all).")
    var takeoverPods = 500

    @Option(help: "Events per second running through each failover.")
    var takeoverRate = 50

    @Option(help: "The takeover part's replicas' --lease-duration (whole seconds).")
    var leaseDuration = 4

    @Option(help: "Their --renew-deadline (seconds).")
    var renewDeadline = 3.0

    @Option(help: "Their --retry-period (seconds).")
    var retryPeriod = 1.0

    @Flag(help: "Run the memory part's --strip-managed-fields run first, so that it has the fresh process's peak (the goal is still judged on the other).")
    var stripFirst = false

    @Flag(help: "Run the memory part's run with hooks that declare reads first, so that it has the fresh process's peak.")
    var readsFirst = false

    @Option(help: "Leave a part out (repeatable): \(BenchPart.allCases.map(\.rawValue).joined(separator: ", ")).")
    var skip: [BenchPart] = []

    @Option(help: "Where the JSON figures go.")
    var output = "bench-results/latest.json"

    var hookCounts: [Int] { scalingHooks.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func includes(_ part: BenchPart) -> Bool { !skip.contains(part) }

    var takeoverTimings: TakeoverPhase.Timings {
        TakeoverPhase.Timings(leaseDuration: leaseDuration, renewDeadline: renewDeadline, retryPeriod: retryPeriod)
    }

    func validate() throws {
        let counts = [pods, events, memoryHooks, latencyRate, latencyEvents, reloads, reloadRate, scalingCalls, pythonEvents, unpacedEvents,
                      takeoverRounds, takeoverPods, takeoverRate, leaseDuration]
        guard counts.allSatisfy({ $0 > 0 }) else { throw ValidationError("every size must be positive") }
        guard !hookCounts.isEmpty, hookCounts.allSatisfy({ $0 > 0 }), hookCounts.count == scalingHooks.split(separator: ",").count else {
            throw ValidationError("--scaling-hooks: positive counts separated by commas, e.g. 1,10,50")
        }
        // As `kubelua run` orders them.
        guard retryPeriod > 0, retryPeriod < renewDeadline, renewDeadline < Double(leaseDuration) else {
            throw ValidationError("--retry-period < --renew-deadline < --lease-duration, as kubelua run needs them")
        }
        guard pythonEvents <= 10_000 else { throw ValidationError("--python-events: at most 10000 (the server keeps that many events)") }
    }
}
