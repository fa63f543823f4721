import Foundation
import Kube

extension HookDaemon {
    /// Notes what an update says about the watches: a sync (readiness), or, when metrics are
    /// kept, its events per type and watch, counted once per update (a chunk's), not per event.
    func observe(_ update: InformerUpdate) {
        switch update {
        case .synced(let query):
            health.synced(query)
        case .events(let events):
            guard let metrics = runtime.environment.metrics, !events.isEmpty else { return }
            let watchesAll = health.watchesAllNamespaces
            var counts: [KubeluaMetrics.EventCountKey: Int] = [:]
            for event in events {
                let watch = watchesAll ? HookLayout.allNamespacesFolder : event.pod.key.namespace
                counts[.init(type: event.kind.rawValue, watch: watch), default: 0] += 1
            }
            metrics.received(counts)
            let now = Date().timeIntervalSince1970
            for watch in Set(counts.keys.map(\.watch)) { metrics.lastEvent(watch: watch, at: now) }
        }
    }

    /// Starts the watches the hooks folder asks for (again, when it changed).
    func watch(_ watches: PodInformer) async {
        let queries = await runtime.layout?.queries(labelSelector: labelSelector) ?? []
        health.watching(queries)
        runtime.environment.metrics?.watchesStarted(1)
        await watches.watch(queries)
    }
}
