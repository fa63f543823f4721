import ArgumentParser
import Foundation
import Hooks
import ProcessTuning

// kubelua-bench: kubelua's full pipeline (fake API server over loopback HTTP → framing →
// informer cache → dispatch → Lua) on generated pods, beside lua5.4 + lua-cjson handling the
// same event lines. The server runs in a child process: this binary's hidden `serve`.
// Prints the table, writes the JSON, and exits 1 if a hook call failed (the figures would not
// mean what they say) or a failover lost events.
@main
struct KubeluaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelua-bench",
        abstract: "Throughput, latency, memory, sync, reload, scaling and failover takeover of kubelua's pod pipeline, with a lua5.4 + cjson reference.",
        subcommands: [ServeCommand.self])

    @OptionGroup var options: BenchOptions

    func run() async throws {
        // The same allocator settings as `kubelua run`, so the figures are the daemon's.
        AllocatorTuning.apply()
        let figures = try await BenchRun(options: options).run()
        let report = BenchReport(figures: figures, options: options)
        report.printTable()
        try report.write(to: options.output)
        print("figures written to \(options.output)")
        if figures.failedCalls > 0 {
            FileHandle.standardError.write(Data("kubelua-bench: \(figures.failedCalls) hook calls failed\n".utf8))
        }
        if figures.lostEvents > 0 {
            FileHandle.standardError.write(Data("kubelua-bench: \(figures.lostEvents) events LOST across failovers (neither they nor a later version of their pod handled)\n".utf8))
        }
        if figures.failedCalls > 0 || figures.lostEvents > 0 { throw ExitCode(1) }
    }
}
