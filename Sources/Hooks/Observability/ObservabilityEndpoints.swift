import Foundation
import Lua
import Prometheus
import Synchronization

/// What `/metrics`, `/healthz` and `/readyz` answer for a running `HookDaemon`.
public struct ObservabilityEndpoints: Sendable {
    public let daemon: HookDaemon
    public let metrics: KubeluaMetrics
    /// The kube helper's request and refusal counts (`run`'s); nil: none are exported.
    public let kubeRequests: KubeCallStatistics?
    /// The http helper's request counts; nil: none are exported.
    public let httpRequests: HTTPRequestStatistics?
    /// How much longer than its deadline a Lua call may keep its thread before the process
    /// counts as wedged (a Lua call past its deadline is stopped at its next instruction check;
    /// only code that does not come back to Lua, a blocking host call, stays).
    public let wedgeMargin: Duration
    /// `DispatchTime` nanoseconds now; tests move it forward instead of waiting.
    let now: @Sendable () -> UInt64
    private let process = ProcessMetrics()

    public init(
        daemon: HookDaemon, metrics: KubeluaMetrics, kubeRequests: KubeCallStatistics? = nil,
        httpRequests: HTTPRequestStatistics? = nil, wedgeMargin: Duration = .seconds(5),
        now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        self.daemon = daemon
        self.metrics = metrics
        self.kubeRequests = kubeRequests
        self.httpRequests = httpRequests
        self.wedgeMargin = wedgeMargin
        self.now = now
    }

    public func respond(to path: String) async -> ObservabilityResponse {
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/metrics": await scrape()
        case "/healthz": await liveness()
        case "/readyz": await readiness()
        default: ObservabilityResponse(status: 404, body: "not found: kubelua serves /metrics, /healthz and /readyz\n")
        }
    }

    /// Sets the gauges that are states (backlogs, memory, cache size), then renders the registry.
    private func scrape() async -> ObservabilityResponse {
        let runtime = daemon.runtime, at = now()
        // With shards, a hook runs in each shard's runtime: one series per hook, their sum (the oldest's age).
        var states: [String: KubeluaMetrics.HookState] = [:]
        for hook in daemon.runtimes.flatMap(\.instances) {
            let oldest = hook.account.oldestSince.map { at > $0 ? Double(at - $0) / 1e9 : 0 } ?? 0
            var state = states[hook.file.name] ?? KubeluaMetrics.HookState(hook: hook.file.name, backlog: 0, oldestSeconds: 0, luaMemory: 0)
            state.backlog += hook.account.count
            state.oldestSeconds = max(state.oldestSeconds, oldest)
            state.luaMemory += hook.luaMemory.load(ordering: .relaxed)
            states[hook.file.name] = state
        }
        metrics.setHookStates(states.keys.sorted().map { states[$0]! })
        if let kubeRequests {
            metrics.setKubeRequests(kubeRequests.snapshot)
            metrics.setKubeRefusals(kubeRequests.refusalSnapshot)
        }
        if let httpRequests { metrics.setHTTPRequests(httpRequests.snapshot) }
        let watches = daemon.health.watches
        metrics.setWatches(all: watches.all, unsynced: watches.unsynced)
        metrics.set(KubeluaMetrics.podsCached, to: Double(runtime.cache.count()))
        if runtime.history != nil {
            var events = 0, bytes = 0, lag = 0.0
            for shard in daemon.runtimes {
                guard let size = shard.history?.size, let checkpoints = shard.checkpoints else { continue }
                events += size.events
                bytes += size.bytes
                if shard.isLeading { lag = max(lag, checkpoints.oldestUnfinished.map { at > $0 ? Double(at - $0) / 1e9 : 0 } ?? 0) }
            }
            metrics.set(KubeluaMetrics.historyEvents, to: Double(events))
            metrics.set(KubeluaMetrics.historyBytes, to: Double(bytes))
            metrics.set(KubeluaMetrics.checkpointLag, to: lag)
        }
        process.update(metrics.registry)
        return ObservabilityResponse(
            status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.registry.emitToBuffer())
    }

    /// Unhealthy when a Lua thread has not come back from one call within its deadline plus
    /// the margin, or handing an update to the hooks has been stuck as long.
    private func liveness() async -> ObservabilityResponse {
        let runtime = daemon.runtime, at = now()
        let limit = (runtime.environment.sandbox.limits.timePerCall ?? .seconds(2)) + wedgeMargin
        var problems: [String] = []
        for wedged in runtime.environment.threads.wedged(longerThan: limit, at: at) {
            problems.append(
                "Lua thread \(wedged.thread) has not come back from one call for \(Self.seconds(wedged.busy)) (limit \(Self.seconds(limit))); "
                    + "running \(wedged.hook)")
        }
        if let busy = daemon.health.handOffBusy(at: at), busy > limit {
            problems.append("a watch has been handing one update to the hooks for \(Self.seconds(busy)) (limit \(Self.seconds(limit)))")
        }
        if problems.isEmpty { return ObservabilityResponse(status: 200, body: "ok\n") }
        return ObservabilityResponse(status: 503, body: "unhealthy: " + problems.joined(separator: "; ") + "\n")
    }

    /// Ready once the hooks folder has hooks (loaded or not: a broken one does not stop the
    /// others) and every watch they need has applied its first list.
    private func readiness() async -> ObservabilityResponse {
        let runtime = daemon.runtime
        let files = await runtime.layout?.hooks.count ?? 0
        guard files > 0 else {
            return ObservabilityResponse(status: 503, body: "not ready: no hooks in \(runtime.root)\n")
        }
        let watches = daemon.health.watches
        guard watches.unsynced.isEmpty, !watches.all.isEmpty else {
            let waiting = watches.all.isEmpty ? "the watches to start" : "the first list of " + watches.unsynced.joined(separator: ", ")
            return ObservabilityResponse(status: 503, body: "not ready: waiting for \(waiting)\n")
        }
        let loaded = await runtime.loadedHooks.count
        return ObservabilityResponse(
            status: 200, body: "ready: \(loaded) of \(files) hook(s) loaded; synced: \(watches.all.joined(separator: ", "))\(role)\n")
    }

    /// What an elected replica is: a standby is ready too (warm), and says so, and whether a
    /// takeover now would replay its history (docs/leader-election.md, "Checkpoints").
    private var role: String {
        guard daemon.runtimes.count == 1 else {
            let held = daemon.runtimes.indices.filter { daemon.runtimes[$0].isLeading }.map(String.init)
            return "; holding \(held.count) of \(daemon.runtimes.count) shard(s)" + (held.isEmpty ? "" : ": " + held.joined(separator: ", "))
        }
        let runtime = daemon.runtime
        guard let leadership = runtime.environment.leadership else { return "" }
        if runtime.isLeading { return "; leading (lease \(leadership.lease))" }
        let standby = "; standby (lease \(leadership.lease) held by \(leadership.holder ?? "nobody"))"
        guard let history = runtime.history else { return standby }
        let checkpoint = leadership.observedCheckpoint
        let gaps = history.uncovered(by: checkpoint)
        if checkpoint == nil { return standby + "; no checkpoint on the lease yet: a takeover now takes the restart path" }
        if gaps.isEmpty { return standby + "; its history reaches back to the checkpoint: a takeover now replays" }
        let watches = gaps.map { "\($0.watch.isEmpty ? HookLayout.allNamespacesFolder : $0.watch): \($0.reason)" }
        return standby + "; a takeover now takes the restart path for " + watches.joined(separator: "; ")
    }

    private static func seconds(_ duration: Duration) -> String {
        let parts = duration.components
        return String(format: "%.1f s", Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
    }
}

/// One answer of the observability listener.
public struct ObservabilityResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    public init(status: Int, body: String) {
        self.init(status: status, body: Array(body.utf8))
    }
}
