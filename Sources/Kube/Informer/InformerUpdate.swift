/// What a reflector hands on, in order: batches of pod events, and the moment it first synced.
public enum InformerUpdate: Sendable, Equatable {
    case events([PodEvent])
    /// The first list of `query` has been applied: the cache reflects the cluster.
    case synced(PodQuery)
}
