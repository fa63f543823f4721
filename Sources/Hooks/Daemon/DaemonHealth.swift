import Foundation
import Kube
import Synchronization

/// What `/readyz` and `/healthz` judge the daemon by: which watches it runs and which have
/// synced, and whether handing updates to the hooks is stuck.
public final class DaemonHealth: Sendable {
    private struct State {
        var watches: [String] = []
        var synced: Set<String> = []
        var watchesAllNamespaces = false
    }

    private let state = Mutex(State())
    /// When the hand-off being timed began (`DispatchTime` nanoseconds); 0 when none is.
    private let handOffSince = Atomic<UInt64>(0)
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

    /// A watch begins handing an update to the hooks. Watches hand over at once, and one
    /// timing at a time is enough to see a stuck hand-off: true when this one is timed (and
    /// must then call `handOffEnded`).
    func handOffStarted() -> Bool {
        handOffSince.compareExchange(expected: 0, desired: DispatchTime.now().uptimeNanoseconds, ordering: .relaxed).exchanged
    }

    func handOffEnded() { handOffSince.store(0, ordering: .relaxed) }

    func handedOver(_ events: [PodEvent]) {
        guard let highest = events.lazy.map(\.sequence).max() else { return }
        _ = handedOverSequence.max(highest, ordering: .releasing)
    }

    /// How far the hand-off has got in the cache's history: the highest `PodEvent.sequence`
    /// handed to the hooks. With one watch, every event of the cache up to it has been handed
    /// over (`PodCache.snapshot().through` says where the cache is).
    public var handedOver: UInt64 { handedOverSequence.load(ordering: .acquiring) }

    /// How long the timed hand-off has been running at `now`; nil when none is.
    public func handOffBusy(at now: UInt64) -> Duration? {
        let since = handOffSince.load(ordering: .relaxed)
        guard since != 0, now > since else { return nil }
        return .nanoseconds(Int64(now - since))
    }
}
