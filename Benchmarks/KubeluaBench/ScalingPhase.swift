/// Throughput with 1, 10, 50… hooks, all in `_all`, so every event goes to every hook. Each
/// hook count gets the same number of handler calls (calls / hooks events), so each point
/// takes about as long.
enum ScalingPhase {
    struct Point {
        var hooks = 0
        var stream = PipelineSession.Stream()
        var eventsPerSecond: Double { Double(stream.events) / stream.wallSeconds }
        var callsPerSecond: Double { Double(stream.calls) / stream.wallSeconds }
    }

    static func run(_ context: BenchContext, hookCounts: [Int], calls: Int) async throws -> [Point] {
        var points: [Point] = []
        for hooks in hookCounts {
            let folder = try context.scratch.hooksFolder("scaling-\(hooks)", scripts: HookScript.copies(hooks))
            let session = try await PipelineSession(server: context.server, hooks: folder, probe: BenchProbe(), logger: context.logger)
            let events = (calls + hooks - 1) / hooks
            points.append(Point(hooks: hooks, stream: try await session.stream(events, from: context.server)))
            try await session.stop()
        }
        return points
    }
}
