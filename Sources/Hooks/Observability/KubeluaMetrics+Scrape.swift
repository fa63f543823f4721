import Prometheus
import Synchronization

extension KubeluaMetrics {
    /// What a scrape reads from the hooks: each running hook's backlog, the age of its oldest
    /// event not yet handled, and its Lua memory.
    struct HookState {
        let hook: String
        let backlog: Int
        let oldestSeconds: Double
        let luaMemory: Int
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

    /// Brings `kubelua_kube_requests_total` up to the counts the kube helper keeps, adding what
    /// came since the last scrape (counters only go up).
    func setKubeRequests(_ counts: [KubeCallStatistics.Key: Int]) {
        scrapeState.withLock { scrape in
            for (key, count) in counts {
                let added = count - scrape.kubeRequests[key, default: 0]
                guard added > 0 else { continue }
                scrape.kubeRequests[key] = count
                registry.makeCounter(
                    descriptor: Self.kubeRequests, labels: [("verb", key.verb), ("resource", key.resource), ("code", String(key.code))]
                ).increment(by: Int64(added))
            }
        }
    }

    /// Brings `kubelua_http_requests_total` up to the counts the http helper keeps.
    func setHTTPRequests(_ counts: [HTTPRequestStatistics.Key: Int]) {
        scrapeState.withLock { scrape in
            for (key, count) in counts {
                let added = count - scrape.httpRequests[key, default: 0]
                guard added > 0 else { continue }
                scrape.httpRequests[key] = count
                registry.makeCounter(descriptor: Self.httpRequests, labels: [("hook", key.hook), ("outcome", key.outcome)])
                    .increment(by: Int64(added))
            }
        }
    }

    /// What the last scrape exported of values kept elsewhere.
    struct ScrapeState {
        var hooks: Set<String> = []
        var kubeRequests: [KubeCallStatistics.Key: Int] = [:]
        var httpRequests: [HTTPRequestStatistics.Key: Int] = [:]
    }
}
