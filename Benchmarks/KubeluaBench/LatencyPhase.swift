/// Latency at a fixed rate: the server child sends stamped events on a clock schedule
/// (PacedStream); the hook reports, on entry, now − stamp to the probe.
enum LatencyPhase {
    struct Figures {
        var rate = 0
        var latency = LatencySummary()
        /// What the child achieved: events sent over its sending time.
        var sentRate = 0.0
        /// Of each latency, the server's own encoding after the stamp (median and max, ms).
        var stampToPublishMedian = 0.0
        var stampToPublishMax = 0.0
        /// Other processes' CPU seconds while the events were sent (a shared machine's noise).
        var otherCPUSeconds = 0.0
        var seconds = 0.0
    }

    static func run(_ context: BenchContext, rate: Int, events: Int) async throws -> Figures {
        let probe = BenchProbe()
        let folder = try context.scratch.hooksFolder("latency", scripts: ["bench.lua": HookScript.latency])
        let session = try await PipelineSession(server: context.server, hooks: folder, probe: probe, logger: context.logger)
        let others = try await OtherLoad.start(context.server)
        let completedBefore = session.statistics.completed
        _ = try await context.server.request("pace \(rate) \(events)")
        let paced = try PacedReply(try await context.server.request("wait"))
        let otherCPUSeconds = try await others.seconds(context.server)
        // One hook: one handler call per event.
        await session.statistics.waitUntilCompleted(completedBefore + paced.sent)
        let samples = probe.takeLatencies()
        try await session.stop()
        guard samples.count == paced.sent else {
            throw BenchFailure("latency: the hook saw \(samples.count) stamped events of \(paced.sent) sent")
        }
        return Figures(
            rate: rate, latency: LatencySummary(nanoseconds: samples), sentRate: Double(paced.sent) / paced.seconds,
            stampToPublishMedian: paced.stampToPublishMedian, stampToPublishMax: paced.stampToPublishMax,
            otherCPUSeconds: otherCPUSeconds, seconds: paced.seconds)
    }
}
