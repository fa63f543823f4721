import ArgumentParser
import Hooks
import Logging
import Metrics
import Prometheus

/// `run --metrics-address` and the limit on what hooks define with the `metrics` module.
struct MetricsOptions: ParsableArguments {
    @Option(help: """
        Serve /metrics (Prometheus text format), /healthz and /readyz on HOST:PORT, e.g. :9464 \
        (all interfaces) or 127.0.0.1:9464. Off when not given.
        """)
    var metricsAddress: String?

    @Option(help: "Series (label value combinations) each hook may create with the metrics module; updates of more are dropped and counted.")
    var hookMetricsSeries = HookMetrics.defaultSeriesLimit

    func validate() throws {
        if hookMetricsSeries < 1 { throw ValidationError("--hook-metrics-series must be at least 1 (got \(hookMetricsSeries))") }
        if let metricsAddress, Self.parse(metricsAddress) == nil {
            throw ValidationError("--metrics-address \(metricsAddress): expected HOST:PORT or :PORT (a port from 0 to 65535), e.g. :9464")
        }
    }

    /// `HOST:PORT`, `:PORT` (all interfaces) or `[v6]:PORT`.
    static func parse(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// The registry everything is exported from, also behind the process-wide `MetricsSystem`
    /// (bootstrapped here, once) so libraries reporting through swift-metrics land in it too.
    func registry() -> PrometheusCollectorRegistry? {
        guard metricsAddress != nil else { return nil }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// The listener for `daemon`, or nil without `--metrics-address`.
    func server(
        for daemon: HookDaemon, metrics: KubeluaMetrics?, kubeRequests: KubeCallStatistics, httpRequests: HTTPRequestStatistics,
        logger: Logger
    ) -> ObservabilityServer? {
        guard let metricsAddress, let (host, port) = Self.parse(metricsAddress), let metrics else { return nil }
        let endpoints = ObservabilityEndpoints(daemon: daemon, metrics: metrics, kubeRequests: kubeRequests, httpRequests: httpRequests)
        return ObservabilityServer(host: host, port: port, logger: logger) { await endpoints.respond(to: $0) }
    }
}
