import Foundation
import Kube

extension HookDaemon {
    /// Notes what a batch of updates says about the watches: syncs (readiness), and, when
    /// metrics are kept, events per type and watch counted once per batch, not per event.
    func observe(_ batch: [InformerUpdate]) {
        let metrics = runtime.environment.metrics
        var counts: [KubeluaMetrics.EventCountKey: Int] = [:]
        let now = Date().timeIntervalSince1970
        let watchesAll = health.watchesAllNamespaces
        for update in batch {
            switch update {
            case .synced(let query):
                health.synced(query)
            case .events(let events):
                guard metrics != nil else { continue }
                for event in events {
                    let watch = watchesAll ? HookLayout.allNamespacesFolder : event.pod.key.namespace
                    counts[.init(type: event.kind.rawValue, watch: watch), default: 0] += 1
                }
            }
        }
        guard let metrics, !counts.isEmpty else { return }
        metrics.received(counts)
        for watch in Set(counts.keys.map(\.watch)) { metrics.lastEvent(watch: watch, at: now) }
    }

    /// Starts the watches the hooks folder asks for (again, when it changed).
    func watch(_ watches: PodInformer) async {
        let queries = await runtime.layout?.queries(labelSelector: labelSelector) ?? []
        health.watching(queries)
        runtime.environment.metrics?.watchesStarted(1)
        await watches.watch(queries)
    }
}
