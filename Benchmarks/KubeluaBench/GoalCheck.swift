/// One of the goals beside this run's figure.
struct GoalCheck {
    let goal: String
    let value: String
    /// nil when the part was not measured.
    let met: Bool?

    var verdict: String {
        switch met {
        case true?: "met"
        case false?: "NOT MET"
        case nil: "not measured"
        }
    }

    /// The sync goal in seconds: 1.5 s up to 30,000 pods, then 5 s per 100,000 (the goals for
    /// 10,000 and for 100,000 pods).
    static func syncLimit(pods: Int) -> Double { max(1.5, 5.0 * Double(pods) / 100_000) }

    /// The goal at rest after a stream, for pods of `jsonBytes`: 1.1 × cached JSON + 40 MB.
    static func restLimit(_ jsonBytes: Int) -> Double { Double(jsonBytes) * 1.1 + 40e6 }

    /// The memory goal for pods of `jsonBytes`: 1.5 × cached JSON + 40 MB.
    static func memoryLimit(_ jsonBytes: Int) -> Double { Double(jsonBytes) * 1.5 + 40e6 }

    /// The goals, judged on `figures`.
    static func all(_ figures: BenchFigures) -> [GoalCheck] {
        var checks: [GoalCheck] = []
        if let rate = figures.kubeluaRate, let cpuRate = figures.kubeluaCPURate, let reference = figures.referenceFigures {
            let ratio = rate / reference.fasterRate
            checks.append(GoalCheck(
                goal: "throughput ≥ 3× lua5.4 + cjson (the faster variant)",
                value: Format.ratio(ratio) + " wall (" + Format.ratio(cpuRate / reference.fasterRate) + " per CPU-second)",
                met: ratio >= 3))
        } else {
            checks.append(GoalCheck(goal: "throughput ≥ 3× lua5.4 + cjson (the faster variant)", value: "—", met: nil))
        }
        if let rate = figures.kubeluaRate, case .measured(let python)? = figures.python {
            let ratio = rate / python.rate
            checks.append(GoalCheck(goal: "throughput ≥ 10× the Python client's Watch", value: Format.ratio(ratio) + " wall",
                                    met: ratio >= 10))
        } else {
            checks.append(GoalCheck(goal: "throughput ≥ 10× the Python client's Watch", value: "—", met: nil))
        }
        if let latency = figures.latency {
            checks.append(GoalCheck(goal: "p99 latency < 2 ms at \(Format.count(latency.rate)) events/s",
                                    value: Format.milliseconds(latency.latency.p99), met: latency.latency.p99 < 2))
        } else {
            checks.append(GoalCheck(goal: "p99 latency < 2 ms at 2,000 events/s", value: "—", met: nil))
        }
        if let memory = figures.memory {
            let limit = memoryLimit(memory.podJSONBytes)
            checks.append(GoalCheck(
                goal: "peak RSS ≤ 1.5 × cached JSON + 40 MB (\(Format.megabytes(Int(limit))))",
                value: Format.megabytes(memory.peakResidentBytes), met: Double(memory.peakResidentBytes) <= limit))
        } else {
            checks.append(GoalCheck(goal: "peak RSS ≤ 1.5 × cached JSON + 40 MB", value: "—", met: nil))
        }
        if let unpaced = figures.unpaced?.first(where: { $0.backlog != nil && $0.debounce == nil }) {
            let limit = memoryLimit(unpaced.podJSONBytes)
            checks.append(GoalCheck(
                goal: "the same, server unpaced, default --max-backlog",
                value: Format.megabytes(unpaced.peakResidentBytes), met: Double(unpaced.peakResidentBytes) <= limit))
            checks.append(GoalCheck(
                goal: "RSS at rest after it ≤ 1.1 × cached JSON + 40 MB (\(Format.megabytes(Int(restLimit(unpaced.podJSONBytes)))))",
                value: Format.megabytes(unpaced.restResidentBytes), met: Double(unpaced.restResidentBytes) <= restLimit(unpaced.podJSONBytes)))
        } else {
            checks.append(GoalCheck(goal: "the same, server unpaced, default --max-backlog", value: "—", met: nil))
            checks.append(GoalCheck(goal: "RSS at rest after it ≤ 1.1 × cached JSON + 40 MB", value: "—", met: nil))
        }
        if let sync = figures.initialSync {
            let limit = syncLimit(pods: figures.pods)
            checks.append(GoalCheck(goal: "initial sync of \(Format.count(figures.pods)) pods < \(Format.seconds(limit))",
                                    value: Format.seconds(sync.seconds), met: sync.seconds < limit))
        } else {
            checks.append(GoalCheck(goal: "initial sync < \(Format.seconds(syncLimit(pods: 0)))", value: "—", met: nil))
        }
        if let reload = figures.reload, !reload.milliseconds.isEmpty {
            checks.append(GoalCheck(goal: "reload < 200 ms (every one)", value: Format.milliseconds(reload.max) + " max",
                                    met: reload.max < 200))
        } else {
            checks.append(GoalCheck(goal: "reload < 200 ms", value: "—", met: nil))
        }
        let scaling = figures.scaling ?? []
        if let one = scaling.first(where: { $0.hooks == 1 }), let ten = scaling.first(where: { $0.hooks == 10 }) {
            let relative = ten.callsPerSecond / one.callsPerSecond
            checks.append(GoalCheck(goal: "10 hooks: calls/s ≥ ½ of 1 hook's", value: Format.ratio(relative), met: relative >= 0.5))
        } else {
            checks.append(GoalCheck(goal: "10 hooks: calls/s ≥ ½ of 1 hook's", value: "—", met: nil))
        }
        return checks
    }
}
