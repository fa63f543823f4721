import ProcessTuning

/// The server child streams M touches as fast as it can (one `touch M`: no pacing from this
/// side), as a busy cluster or a relist after a long disconnect would, into 5 hooks: peak RSS
/// under a backlog bound (`--max-backlog`, default 10,000) and without one worth the name.
/// Each run starts after the allocator's free memory is returned and the peak (VmHWM) reset, so
/// its peak is its own (sync included).
enum UnpacedPhase {
    struct Figures {
        var hooks = 0
        /// `--max-backlog`; nil: a bound larger than anything the stream reaches.
        var backlog: Int?
        /// The hooks' `debounce` setting, when they declare one.
        var debounce: String?
        var sync = PipelineSession.Sync()
        var stream = PipelineSession.Stream()
        var otherCPUSeconds = 0.0
        var serverCPUSeconds = 0.0
        var baselineResidentBytes = 0
        var peakResidentBytes = 0
        /// RSS once the stream is handled, with the pods cached and the allocator's free memory
        /// returned: what the process keeps at rest.
        var restResidentBytes = 0
        /// The most events and handler calls outstanding seen (sampled every 5 ms).
        var largestBacklog = 0
        var podJSONBytes = 0

        var eventsPerSecond: Double { Double(stream.events) / stream.wallSeconds }
    }

    /// The window of the run whose hooks debounce.
    static let debounce = "100ms"

    /// What stands for "no bound".
    static let unbounded = 1 << 62

    static func run(_ context: BenchContext, hooks: Int, events: Int, backlog: Int?, debounce: String? = nil) async throws -> Figures {
        AllocatorTuning.releaseFreeMemory()
        ProcessUsage.resetPeak()
        let baseline = ProcessUsage.residentBytes()
        let scripts = HookScript.copies(hooks).mapValues { script in debounce.map { "hook = { debounce = \"\($0)\" }\n" + script } ?? script }
        let name = "unpaced-\(backlog.map(String.init) ?? "unbounded")" + (debounce.map { "-debounce-\($0)" } ?? "")
        let folder = try context.scratch.hooksFolder(name, scripts: scripts)
        let session = try await PipelineSession(
            server: context.server, hooks: folder, probe: BenchProbe(), backlog: backlog ?? unbounded, logger: context.logger)
        var figures = Figures(
            hooks: hooks, backlog: backlog, debounce: debounce, sync: session.sync, baselineResidentBytes: baseline, podJSONBytes: context.server.podJSONBytes)
        let ledger = session.ledger
        let sampler = Task {
            var largest = 0
            while !Task.isCancelled {
                largest = max(largest, ledger.outstanding)
                try? await Task.sleep(for: .milliseconds(5))
            }
            return largest
        }
        let serverBefore = try await context.server.usage()
        let others = try await OtherLoad.start(context.server)
        // One command for the whole stream: the child touches as fast as it can.
        figures.stream = try await session.stream(events, from: context.server, batch: events)
        figures.otherCPUSeconds = try await others.seconds(context.server)
        figures.serverCPUSeconds = try await context.server.usage().cpuSeconds - serverBefore.cpuSeconds
        figures.peakResidentBytes = ProcessUsage.peakResidentBytes()
        sampler.cancel()
        figures.largestBacklog = await sampler.value
        AllocatorTuning.releaseFreeMemory()
        figures.restResidentBytes = ProcessUsage.residentBytes()
        try await session.stop()
        return figures
    }
}
