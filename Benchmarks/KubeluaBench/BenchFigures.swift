/// Everything one run measured; a part left out (`--skip`) is nil.
struct BenchFigures {
    var pods = 0
    var podJSONBytes = 0
    var memory: MemoryPhase.Figures?
    /// The same with `--strip-managed-fields`.
    var memoryStripped: MemoryPhase.Figures?
    /// The same with hooks that declare what they read (managedFields stripped).
    var memoryDeclared: MemoryPhase.Figures?
    var throughput: ThroughputPhase.Figures?
    var reference: EventReference.Outcome?
    var latency: LatencyPhase.Figures?
    var reload: ReloadPhase.Figures?
    var scaling: [ScalingPhase.Point]?
    var python: PythonPeer.Outcome?
    /// With the default backlog bound, then without one.
    var unpaced: [UnpacedPhase.Figures]?
    var takeover: TakeoverPhase.Outcome?
    /// The server child's CPU seconds and peak RSS over the whole run.
    var serverUsage: (cpuSeconds: Double, peakResidentBytes: Int)?

    /// kubelua's throughput: wall events/s, and events per CPU-second of its process.
    var kubeluaRate: Double? { throughput.map { Double($0.stream.events) / $0.stream.wallSeconds } }
    var kubeluaCPURate: Double? { throughput.map { Double($0.stream.events) / $0.stream.cpuSeconds } }

    /// The sync the goal is judged on: with one hook (the throughput part's), else the memory
    /// part's (with several hooks handling the initial adds meanwhile, it is slower).
    var initialSync: PipelineSession.Sync? { throughput?.sync ?? memory?.sync }

    var referenceFigures: EventReference.Figures? {
        if case .measured(let figures)? = reference { return figures }
        return nil
    }

    /// Handler calls that failed anywhere: the figures are then not to be trusted.
    var failedCalls: Int {
        [memory?.stream.failedCalls, memoryStripped?.stream.failedCalls, memoryDeclared?.stream.failedCalls, throughput?.stream.failedCalls].compactMap { $0 }.reduce(0, +)
            + (scaling ?? []).reduce(0) { $0 + $1.stream.failedCalls } + (unpaced ?? []).reduce(0) { $0 + $1.stream.failedCalls }
    }

    /// Events a failover lost (neither they nor a later version of their pod handled).
    var lostEvents: Int {
        if case .measured(let takeover)? = takeover { return takeover.lost }
        return 0
    }
}
