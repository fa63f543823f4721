/// What a reflector hands on, in order: batches of pod events, and the moment it first synced.
public enum InformerUpdate: Sendable, Equatable {
    case events([PodEvent])
    /// The first list of `query` has been applied: the cache reflects the cluster.
    case synced(PodQuery)
}

extension InformerUpdate {
    public var isSynced: Bool {
        if case .synced = self { true } else { false }
    }
}

extension Array where Element == InformerUpdate {
    /// The events of these updates, in order (a batch from `InformerUpdateBuffer.nextBatch`).
    public var events: [PodEvent] {
        flatMap { (update) -> [PodEvent] in
            guard case .events(let events) = update else { return [] }
            return events
        }
    }
}
