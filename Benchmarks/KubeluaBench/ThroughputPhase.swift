import Foundation

/// The headline stream: one hook, M touches of the listed pods. Afterwards the server child
/// writes the last min(N, M) event lines as streamed, for the reference to run on.
enum ThroughputPhase {
    struct Figures {
        var sync = PipelineSession.Sync()
        var stream = PipelineSession.Stream()
        /// The server child's CPU seconds over the stream (its share of the machine).
        var serverCPUSeconds = 0.0
        /// Other processes' CPU seconds over the stream (a shared machine's noise).
        var otherCPUSeconds = 0.0
        /// This process's peak RSS once synced and after the stream: whether streaming grows it.
        var peakAfterSync = 0
        var peakAfterStream = 0
        var referenceLines: URL?
    }

    static func run(_ context: BenchContext, events: Int, pods: Int) async throws -> Figures {
        let folder = try context.scratch.hooksFolder("throughput", scripts: ["bench.lua": HookScript.handler])
        let session = try await PipelineSession(server: context.server, hooks: folder, probe: BenchProbe(), logger: context.logger)
        var figures = Figures(sync: session.sync)
        figures.peakAfterSync = ProcessUsage.peakResidentBytes()
        let serverBefore = try await context.server.usage()
        let others = try await OtherLoad.start(context.server)
        figures.stream = try await session.stream(events, from: context.server)
        figures.otherCPUSeconds = try await others.seconds(context.server)
        figures.peakAfterStream = ProcessUsage.peakResidentBytes()
        figures.serverCPUSeconds = try await context.server.usage().cpuSeconds - serverBefore.cpuSeconds
        try await session.stop()
        let lines = context.scratch.file("events.jsonl")
        _ = try await context.server.request("lines \(lines.path) \(min(pods, events))")
        figures.referenceLines = lines
        return figures
    }
}
