import ProcessTuning

/// Peak RSS with every pod cached and several hooks loaded (each has handled an update of every
/// pod, so each holds a Lua state that has decoded them). The first run (managedFields kept, the
/// goal's figure, unless `--strip-first`) starts the run, so nothing earlier in the process has
/// raised the peak; its sync is therefore also the run's cold start. The second (the other
/// setting of `--strip-managed-fields`) follows, then a run whose hooks declare what they read
/// (`HookScript.reads`, managedFields stripped as `kubelua run` does by default); each starts
/// after the allocator's free memory is returned and the peak (VmHWM) reset. At rest is the
/// resident set after the updates, once the allocator's free memory is returned again.
enum MemoryPhase {
    struct Figures {
        var hooks = 0
        var stripsManagedFields = false
        /// What the hooks declared they read; nil: nothing (the whole pod).
        var reads: [String]?
        var sync = PipelineSession.Sync()
        var stream = PipelineSession.Stream()
        /// This process's resident set before the pipeline started (runtime, libraries, threads).
        var baselineResidentBytes = 0
        var peakResidentBytes = 0
        var restResidentBytes = 0
        /// The JSON of the pods as the server serves them (the goal's "cached JSON" when nothing is stripped).
        var podJSONBytes = 0
        /// What the cache held after the updates: the JSON kept and its container index.
        var cache = CacheFootprint()
    }

    static func run(
        _ context: BenchContext, hooks: Int, events: Int, stripManagedFields: Bool = false, reads: [String]? = nil
    ) async throws -> Figures {
        AllocatorTuning.releaseFreeMemory()
        ProcessUsage.resetPeak()
        let baseline = ProcessUsage.residentBytes()
        let name = reads != nil ? "memory-reads" : stripManagedFields ? "memory-stripped" : "memory"
        let folder = try context.scratch.hooksFolder(name, scripts: HookScript.copies(hooks, reads: reads))
        let session = try await PipelineSession(
            server: context.server, hooks: folder, probe: BenchProbe(), stripManagedFields: stripManagedFields, logger: context.logger)
        var figures = Figures(
            hooks: hooks, stripsManagedFields: stripManagedFields, reads: reads, sync: session.sync, baselineResidentBytes: baseline,
            podJSONBytes: context.server.podJSONBytes)
        figures.stream = try await session.stream(events, from: context.server)
        figures.peakResidentBytes = ProcessUsage.peakResidentBytes()
        AllocatorTuning.releaseFreeMemory()
        figures.restResidentBytes = ProcessUsage.residentBytes()
        figures.cache = CacheFootprint(of: session.runtime.cache)
        try await session.stop()
        return figures
    }
}
