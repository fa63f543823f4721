import Kube
import Lua
import Prometheus
import Synchronization

/// kubelua's own metrics (`kubelua_*`), in the registry `/metrics` serves. Label values are
/// bounded: hooks, handlers, watches (namespaces), results, event types; never pods. Values that
/// are states rather than counts (backlogs, the cache's size) are set when scraped
/// (`ObservabilitySnapshot`), so the event path pays nothing for them.
public final class KubeluaMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let scrapeState = Mutex(ScrapeState())

    /// Durations of handler calls, waits on helpers included: from 1 ms to the longest deadline.
    static let durationBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = "") {
        self.registry = registry
        if !version.isEmpty {
            registry.makeGauge(descriptor: Self.buildInfo, labels: [("version", version)]).set(1.0)
        }
    }

    // MARK: Hooks

    /// The series one handler of one hook updates on every call (`HookInstance` keeps them).
    struct HandlerSeries: Sendable {
        let calls: [HandlerResult: Counter]
        let duration: ValueHistogram

        func record(_ result: HandlerResult, seconds: Double) {
            calls[result]?.increment()
            duration.record(seconds)
        }
    }

    func handlerSeries(hook: String, handler: String) -> HandlerSeries {
        var calls: [HandlerResult: Counter] = [:]
        for result in HandlerResult.allCases {
            calls[result] = registry.makeCounter(
                descriptor: Self.handlerCalls, labels: [("hook", hook), ("handler", handler), ("result", result.rawValue)])
        }
        let duration = registry.makeValueHistogram(
            descriptor: Self.handlerDuration, labels: [("hook", hook), ("handler", handler)], buckets: Self.durationBuckets)
        return HandlerSeries(calls: calls, duration: duration)
    }

    func gaveUp(hook: String, handler: String) {
        registry.makeCounter(descriptor: Self.giveUps, labels: [("hook", hook), ("handler", handler)]).increment()
    }

    func scheduleSkipped(hook: String) {
        registry.makeCounter(descriptor: Self.scheduleSkips, labels: [("hook", hook)]).increment()
    }

    func loadFailed(hook: String) {
        registry.makeCounter(descriptor: Self.loadFailures, labels: [("hook", hook)]).increment()
    }

    func loaded(hook: String, at secondsSinceEpoch: Double) {
        registry.makeGauge(descriptor: Self.loadedTimestamp, labels: [("hook", hook)]).set(secondsSinceEpoch)
    }

    /// Sets a per-hook gauge (`backlog`, `luaMemory`), creating its series on first use.
    func set(_ descriptor: MetricNameDescriptor, hook: String, to value: Double) {
        registry.makeGauge(descriptor: descriptor, labels: [("hook", hook)]).set(value)
    }

    // MARK: Leader election

    /// What `LeaderElector` is to report its changes to: `kubelua_leader{lease}` (0 from now,
    /// standing by; 1 while leading) and `kubelua_leader_transitions_total{lease,transition}`
    /// (`acquired`, or why leading stopped).
    public func leadershipObserver(lease: String) -> @Sendable (Leadership.Change) -> Void {
        let leader = registry.makeGauge(descriptor: Self.leader, labels: [("lease", lease)])
        leader.set(0.0)
        return { [registry] change in
            let transition: String
            switch change {
            case .started: transition = "acquired"
            case .stopped(let loss): transition = loss.rawValue
            case .handOver: return
            }
            leader.set(change == .started ? 1.0 : 0.0)
            registry.makeCounter(descriptor: Self.leaderTransitions, labels: [("lease", lease), ("transition", transition)]).increment()
        }
    }

    // MARK: Watches

    /// Counts events received per type and watch: one increment per distinct pair of a batch.
    func received(_ counts: [EventCountKey: Int]) {
        for (key, count) in counts {
            registry.makeCounter(descriptor: Self.eventsReceived, labels: [("type", key.type), ("watch", key.watch)])
                .increment(by: Int64(count))
        }
    }

    struct EventCountKey: Hashable {
        let type: String
        let watch: String
    }

    func lastEvent(watch: String, at secondsSinceEpoch: Double) {
        registry.makeGauge(descriptor: Self.lastEvent, labels: [("watch", watch)]).set(secondsSinceEpoch)
    }

    /// What a reflector reported about `watch`: a relist, a rewatch or a failed request is
    /// counted with its reason; a list applied sets the watch's last sync time.
    func record(_ report: ReflectorReport, watch: String, at secondsSinceEpoch: Double) {
        switch report {
        case .relisting(let reason):
            registry.makeCounter(descriptor: Self.relists, labels: [("watch", watch), ("reason", reason.rawValue)]).increment()
        case .rewatching(let reason):
            registry.makeCounter(descriptor: Self.watchRestarts, labels: [("watch", watch), ("reason", reason.rawValue)]).increment()
        case .listed:
            registry.makeGauge(descriptor: Self.lastSync, labels: [("watch", watch)]).set(secondsSinceEpoch)
        case .requestFailed(let request, let reason):
            registry.makeCounter(
                descriptor: Self.watchRequestFailures, labels: [("watch", watch), ("request", request.rawValue), ("reason", reason)]
            ).increment()
        }
    }

    func watchesStarted(_ count: Int) {
        registry.makeCounter(descriptor: Self.watchStarts).increment(by: Int64(count))
    }

    /// Sets a gauge without labels (`podsCached`, process metrics).
    func set(_ descriptor: MetricNameDescriptor, to value: Double) {
        registry.makeGauge(descriptor: descriptor).set(value)
    }
}

/// How a handler call ended: the `result` label of `kubelua_handler_calls_total`.
enum HandlerResult: String, CaseIterable, Sendable {
    case ok
    case error
    case budget = "killed_budget"
    case deadline = "killed_deadline"
    case memory = "killed_memory"
}

extension HandlerResult {
    init(_ kind: LuaError.Kind) {
        switch kind {
        case .instructionBudget: self = .budget
        case .deadline: self = .deadline
        case .memory: self = .memory
        case .syntax, .runtime, .unexpectedYield: self = .error
        }
    }
}
