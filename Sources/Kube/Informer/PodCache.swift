import Selectors
import Synchronization

/// The one cache of pods: what every watch of an informer has applied, keyed namespace/name (the
/// UID tells incarnations apart). Reflectors change it through `update`; everything else reads
/// it. Reads return at once and never wait on the network.
public final class PodCache: Sendable {
    private let store: Mutex<PodStore>
    /// Pods are kept without `metadata.managedFields` (see `PodStore`).
    public let stripsManagedFields: Bool

    /// - Parameter stripManagedFields: keep pods without `metadata.managedFields` (see `PodStore`).
    public init(stripManagedFields: Bool = false) {
        stripsManagedFields = stripManagedFields
        store = Mutex(PodStore(stripsManagedFields: stripManagedFields))
    }

    /// Pods as the cache will keep them, for a caller that holds many before applying them (a
    /// list's pages), so the bytes the cache drops are not held meanwhile.
    public func admitted(_ pods: [PodRecord]) -> [PodRecord] {
        stripsManagedFields ? pods.map { $0.withoutManagedFields() } : pods
    }

    /// Runs `body` with the cache locked: how reflectors (and replay) apply lists and events.
    public func update<Result: Sendable>(_ body: (inout PodStore) -> Result) -> Result {
        store.withLock { body(&$0) }
    }

    public func pod(_ key: PodKey) -> PodRecord? {
        store.withLock { $0[key] }
    }

    /// How many pods the cache holds in `namespace` (nil: all).
    public func count(namespace: String? = nil) -> Int {
        store.withLock { store in namespace.map { ns in store.pods.keys.count { $0.namespace == ns } } ?? store.count }
    }

    /// The pods of `namespace` (nil: all) whose labels match `labels`, sorted by key.
    public func pods(namespace: String? = nil, labels: LabelSelector = LabelSelector()) -> [PodRecord] {
        let pods = snapshot(namespace: namespace).pods
        return labels.isEmpty ? pods : pods.filter { labels.matches($0.labels) }
    }

    /// The pods of `namespace` (nil: all), sorted by key, and the sequence number of the last
    /// event they reflect: a consumer starting from this snapshot skips events up to it.
    public func snapshot(namespace: String? = nil) -> (pods: [PodRecord], through: UInt64) {
        let (pods, through) = store.withLock { store in
            (store.pods.values.filter { namespace == nil || $0.key.namespace == namespace }, store.sequence)
        }
        return (pods.sorted { $0.key < $1.key }, through)
    }
}
