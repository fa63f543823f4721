import Prometheus
import Synchronization

/// The metrics hooks define with the `metrics` module, exported as `kubelua_hook_<name>` with a
/// `hook` label (and `shard`, with `--shards`), in the registry `/metrics` serves. A name means
/// one metric for every hook: the same kind, label names and buckets wherever it is declared.
/// Each hook may create at most `seriesLimit` series (label value combinations); updates past
/// that are dropped and counted in `kubelua_metric_series_dropped_total`, never an error: a hook
/// that labels by something unbounded loses metrics, not events.
public final class HookMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let seriesLimit: Int
    private let state = Mutex(State())

    public static let defaultSeriesLimit = 1000

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), seriesLimit: Int = defaultSeriesLimit) {
        self.registry = registry
        self.seriesLimit = seriesLimit
    }

    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// One declared metric: what every declaration of its name must repeat.
    struct Family: Sendable, Equatable {
        let kind: Kind
        let name: String
        let labels: [String]
        let buckets: [Double]
    }

    /// One series a hook updates.
    enum Series: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(ValueHistogram)
    }

    private struct State {
        var families: [String: (family: Family, declaredBy: String)] = [:]
        /// The series each hook created, as `name{values}`: kept across reloads, so a new version
        /// updating the same series does not count them twice.
        var series: [String: Set<[String]>] = [:]
    }

    /// Declares `family` for `hook`; the same declaration again (a reload) is fine.
    func declare(_ family: Family, hook: String) throws(HookMetricError) {
        try family.validate()
        try state.withLock { (state) throws(HookMetricError) in
            if let existing = state.families[family.name] {
                guard existing.family == family else {
                    throw HookMetricError.redeclared(family, existing: existing.family, by: existing.declaredBy)
                }
                return
            }
            state.families[family.name] = (family, hook)
        }
    }

    /// The series of `family` for `values` (in label order) of `hook`'s copy for `shard`, or nil
    /// when the hook has reached its series limit, counted over all its shards (the drop is counted).
    func series(_ family: Family, hook: String, shard: Int?, values: [String]) -> Series? {
        let admitted = state.withLock { state -> Bool in
            let key = [family.name, shard.map(String.init) ?? ""] + values
            if state.series[hook]?.contains(key) == true { return true }
            guard state.series[hook, default: []].count < seriesLimit else { return false }
            state.series[hook, default: []].insert(key)
            return true
        }
        guard admitted else {
            registry.makeCounter(descriptor: Self.dropped, labels: [("hook", hook)]).increment()
            return nil
        }
        let labels = [("hook", hook)] + (shard.map { [("shard", String($0))] } ?? []) + Array(zip(family.labels, values))
        let descriptor = MetricNameDescriptor(
            namespace: "kubelua", subsystem: "hook", metricName: family.name, unitName: "",
            helpText: "Defined by hooks with metrics.\(family.kind.rawValue).")
        switch family.kind {
        case .counter: return .counter(registry.makeCounter(descriptor: descriptor, labels: labels))
        case .gauge: return .gauge(registry.makeGauge(descriptor: descriptor, labels: labels))
        case .histogram:
            return .histogram(registry.makeValueHistogram(descriptor: descriptor, labels: labels, buckets: family.buckets))
        }
    }

    static var dropped: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "kubelua", metricName: "metric_series_dropped", unitName: "total",
            helpText: "Updates of hook-defined metrics dropped because the hook reached --hook-metrics-series.")
    }
}
