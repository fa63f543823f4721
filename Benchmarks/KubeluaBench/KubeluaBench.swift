import ArgumentParser
import Foundation

// kubelua-bench: the full pipeline (fake API server over HTTP → framing → informer cache →
// dispatch → Lua) on generated pods, beside lua5.4 + lua-cjson handling the same event lines.
// Writes a table to standard output and the figures to bench-results/latest.json.
@main
struct KubeluaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelua-bench",
        abstract: "Throughput, initial sync and memory of kubelua's pod pipeline, with a lua5.4 + cjson reference.")

    @Option(help: "Pods the fake server lists.")
    var pods = 10_000

    @Option(help: "MODIFIED events streamed over those pods.")
    var events = 100_000

    @Option(help: "Where the JSON figures go.")
    var output = "bench-results/latest.json"

    func validate() throws {
        guard pods > 0, events > 0 else { throw ValidationError("--pods and --events must be positive") }
    }

    func run() async throws {
        let pipeline = try await PipelineRun(pods: pods, events: events).run()
        let reference = EventReference.run(lines: pipeline.referenceLines, events: events)
        let report = BenchReport(pipeline: pipeline, reference: reference)
        report.printTable()
        try report.write(to: output)
        print("figures written to \(output)")
        if pipeline.failedCalls > 0 || pipeline.handledEvents < events { throw ExitCode(1) }
    }
}
