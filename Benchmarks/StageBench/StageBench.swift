import Foundation

// stage-bench: what one pod event costs in each stage of kubelua's pipeline, measured one stage
// at a time on the same generated events (no server, no network), so BENCHMARKS.md can say
// where the time of `kubelua-bench`'s throughput goes. CPU time of the process per event (all
// threads: the dispatch stage uses two), best of 3 rounds: steadier than wall time on a busy
// machine.
@main
struct StageBench {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let events = arguments.first.flatMap(Int.init) ?? 20_000
        // A second argument picks stages by name (for profiling one of them).
        let only = arguments.dropFirst().first
        let input = try StageInput(events: events)
        var results: [(String, Double)] = []
        for stage in Stage.allCases where only == nil || "\(stage)" == only {
            let seconds = try await stage.measure(input, rounds: 3)
            results.append((stage.label, seconds / Double(input.events) * 1e6))
        }
        print("stage-bench (release; \(input.events) MODIFIED events of ~\(input.averagePodBytes) B pods; CPU µs per event, best of 3)")
        for (label, micros) in results {
            print("  " + label.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%8.2f", micros))
        }
        try StageReport.write(results, events: input.events, to: "bench-results/stages.json")
        print("figures written to bench-results/stages.json")
    }
}
