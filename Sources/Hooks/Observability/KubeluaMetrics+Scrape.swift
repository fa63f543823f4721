import Prometheus
import Synchronization

extension KubeluaMetrics {
    /// What a scrape reads from the hooks: each running hook's backlog, the age of its oldest
    /// event not yet handled, and its Lua memory.
    struct HookState {
        var hook: String
        var backlog: Int
        var oldestSeconds: Double
        var luaMemory: Int
    }

    /// Sets the per-hook gauges; a hook gone since the last scrape loses its series.
    func setHookStates(_ states: [HookState]) {
        let present = Set(states.map(\.hook))
        scrapeState.withLock { scrape in
            for gone in scrape.hooks.subtracting(present) {
                for descriptor in [Self.backlog, Self.backlogOldest, Self.luaMemory] {
                    registry.unregisterGauge(registry.makeGauge(descriptor: descriptor, labels: [("hook", gone)]))
                }
            }
            scrape.hooks = present
            for state in states {
                set(Self.backlog, hook: state.hook, to: Double(state.backlog))
                set(Self.backlogOldest, hook: state.hook, to: state.oldestSeconds)
                set(Self.luaMemory, hook: state.hook, to: Double(state.luaMemory))
            }
        }
    }

    /// Sets `kubelua_watch_synced` of each running watch: 1 once its first list is applied, else
    /// 0; a watch stopped since the last scrape loses its series.
    func setWatches(all: [String], unsynced: [String]) {
        scrapeState.withLock { scrape in
            for gone in scrape.watches.subtracting(all) {
                registry.unregisterGauge(registry.makeGauge(descriptor: Self.watchSynced, labels: [("watch", gone)]))
            }
            scrape.watches = Set(all)
            for watch in all {
                registry.makeGauge(descriptor: Self.watchSynced, labels: [("watch", watch)]).set(unsynced.contains(watch) ? 0.0 : 1.0)
            }
        }
    }

    /// Brings `kubelua_kube_requests_total` up to the counts the kube helper keeps.
    func setKubeRequests(_ counts: [KubeCallStatistics.Key: Int]) {
        advance(\.kubeRequests, to: counts) { key in
            (Self.kubeRequests, [("hook", key.hook), ("verb", key.verb), ("resource", key.resource), ("code", String(key.code))])
        }
    }

    /// Brings `kubelua_kube_refused_total` up to the refusals the kube helper counted.
    func setKubeRefusals(_ counts: [KubeCallStatistics.RefusalKey: Int]) {
        advance(\.kubeRefusals, to: counts) { key in
            (Self.kubeRefused, [("hook", key.hook), ("call", key.call), ("resource", key.resource)])
        }
    }

    /// Brings `kubelua_http_requests_total` up to the counts the http helper keeps.
    func setHTTPRequests(_ counts: [HTTPRequestStatistics.Key: Int]) {
        advance(\.httpRequests, to: counts) { key in (Self.httpRequests, [("hook", key.hook), ("outcome", key.outcome)]) }
    }

    /// Brings the counters of counts kept elsewhere up to `counts`, adding what came since the
    /// last scrape (`exported` remembers it; counters only go up).
    private func advance<Key: Hashable>(
        _ exported: WritableKeyPath<ScrapeState, [Key: Int]>, to counts: [Key: Int],
        series: (Key) -> (MetricNameDescriptor, [(String, String)])
    ) {
        scrapeState.withLock { scrape in
            for (key, count) in counts {
                let added = count - scrape[keyPath: exported][key, default: 0]
                guard added > 0 else { continue }
                scrape[keyPath: exported][key] = count
                let (descriptor, labels) = series(key)
                registry.makeCounter(descriptor: descriptor, labels: labels).increment(by: Int64(added))
            }
        }
    }

    /// What the last scrape exported of values kept elsewhere.
    struct ScrapeState {
        var hooks: Set<String> = []
        var watches: Set<String> = []
        var kubeRequests: [KubeCallStatistics.Key: Int] = [:]
        var kubeRefusals: [KubeCallStatistics.RefusalKey: Int] = [:]
        var httpRequests: [HTTPRequestStatistics.Key: Int] = [:]
    }
}
