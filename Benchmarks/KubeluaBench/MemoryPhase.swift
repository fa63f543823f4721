/// Peak RSS with every pod cached and several hooks loaded (each has handled an update of every
/// pod, so each holds a Lua state that has decoded them). It runs first, so nothing earlier in
/// the process has raised the peak; its sync is therefore also the run's cold start.
enum MemoryPhase {
    struct Figures {
        var hooks = 0
        var sync = PipelineSession.Sync()
        var stream = PipelineSession.Stream()
        /// This process's resident set before the pipeline started (runtime, libraries, threads).
        var baselineResidentBytes = 0
        var peakResidentBytes = 0
        /// The JSON of the pods the cache holds.
        var podJSONBytes = 0
    }

    static func run(_ context: BenchContext, hooks: Int, events: Int) async throws -> Figures {
        let baseline = ProcessUsage.residentBytes()
        let folder = try context.scratch.hooksFolder("memory", scripts: HookScript.copies(hooks))
        let session = try await PipelineSession(server: context.server, hooks: folder, probe: BenchProbe(), logger: context.logger)
        var figures = Figures(hooks: hooks, sync: session.sync, baselineResidentBytes: baseline, podJSONBytes: context.server.podJSONBytes)
        figures.stream = try await session.stream(events, from: context.server)
        figures.peakResidentBytes = ProcessUsage.peakResidentBytes()
        try await session.stop()
        return figures
    }
}
