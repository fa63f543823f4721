import Foundation
import Kube
import Synchronization

/// What `/readyz` and `/healthz` judge the daemon by: which watches it runs and which have
/// synced, and whether its event consumer is handing updates to the hooks or stuck doing so.
public final class DaemonHealth: Sendable {
    private struct State {
        var watches: [String] = []
        var synced: Set<String> = []
        var watchesAllNamespaces = false
    }

    private let state = Mutex(State())
    /// When the consumer took the batch it is dispatching (`DispatchTime` nanoseconds); 0 while waiting.
    private let consumingSince = Atomic<UInt64>(0)
    /// The highest cache sequence (`PodEvent.sequence`) among the events handed to the hooks.
    private let handedOverSequence = Atomic<UInt64>(0)

    public init() {}

    /// The `watch` label of a query: its namespace, or `_all` (never a namespace's name).
    static func label(_ query: PodQuery) -> String { query.namespace ?? HookLayout.allNamespacesFolder }

    func watching(_ queries: [PodQuery]) {
        state.withLock { state in
            state.watches = queries.map(Self.label).sorted()
            state.watchesAllNamespaces = queries.contains { $0.namespace == nil }
        }
    }

    func synced(_ query: PodQuery) {
        _ = state.withLock { $0.synced.insert(Self.label(query)) }
    }

    /// Whether one watch covers all namespaces (the `watch` label of every event is then `_all`).
    var watchesAllNamespaces: Bool { state.withLock { $0.watchesAllNamespaces } }

    /// The watches running, and those of them that have not finished their first list.
    public var watches: (all: [String], unsynced: [String]) {
        state.withLock { state in (state.watches, state.watches.filter { !state.synced.contains($0) }) }
    }

    func consuming() { consumingSince.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }
    func consumed() { consumingSince.store(0, ordering: .relaxed) }

    func handedOver(_ events: [PodEvent]) {
        guard let highest = events.lazy.map(\.sequence).max() else { return }
        _ = handedOverSequence.max(highest, ordering: .releasing)
    }

    /// How far the consumer has got in the cache's history: the highest `PodEvent.sequence` it
    /// has handed to the hooks. With one watch, every event of the cache up to it has been
    /// handed over (`PodCache.snapshot().through` says where the cache is).
    public var handedOver: UInt64 { handedOverSequence.load(ordering: .acquiring) }

    /// How long the consumer has been dispatching one batch at `now`; nil while it waits for one.
    public func consumerBusy(at now: UInt64) -> Duration? {
        let since = consumingSince.load(ordering: .relaxed)
        guard since != 0, now > since else { return nil }
        return .nanoseconds(Int64(now - since))
    }
}
