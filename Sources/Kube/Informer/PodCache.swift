import JSONBytes
import Selectors
import Synchronization

/// The one cache of pods: what every watch of an informer has applied, keyed namespace/name (the
/// UID tells incarnations apart). Reflectors change it through `update`; everything else reads
/// it. Reads return at once and never wait on the network.
///
/// What it keeps of each pod is its watch's projection (`keep`): by default the whole pod (less
/// `metadata.managedFields` when stripped). Pods come in already narrowed: a reflector parses
/// each with its watch's projection (one copy out of the wire's bytes), and whoever applies
/// pods from elsewhere passes them through `admitted`.
public final class PodCache: Sendable {
    private let store = Mutex(PodStore())
    /// What each watch keeps of its pods, by the watch's namespace (nil: all namespaces).
    private let projections = Mutex<[String?: JSONProjection]>([:])
    /// Whether server-side apply's bookkeeping is dropped from pods no reader asks it of.
    public let stripsManagedFields: Bool
    /// What a watch without a projection of its own keeps: the whole pod, less
    /// `metadata.managedFields` when they are stripped.
    public let wholePod: JSONProjection

    /// - Parameter stripManagedFields: drop `metadata.managedFields` unless a projection keeps it.
    public init(stripManagedFields: Bool = false) {
        stripsManagedFields = stripManagedFields
        wholePod = PodProjection.whole(strippingManagedFields: stripManagedFields)
    }

    /// What the watch of `namespace` (nil: all namespaces) keeps of each pod.
    public func projection(forWatch namespace: String?) -> JSONProjection {
        projections.withLock { $0[namespace] } ?? wholePod
    }

    /// What is kept of a pod of `namespace`: the all-namespaces watch's projection when there
    /// is one, else its namespace's.
    public func projection(forPodIn namespace: String) -> JSONProjection {
        projections.withLock { $0[nil] ?? $0[namespace] } ?? wholePod
    }

    /// Sets what each watch keeps (a watch not named keeps `wholePod`). Returns the watches
    /// whose projection widened: the pods they hold were cut narrower than is now asked, and
    /// stay so until they are read again (their next event, or a relist). A narrower one takes
    /// effect the same way, with nothing missing meanwhile.
    @discardableResult
    public func keep(_ wanted: [String?: JSONProjection]) -> Set<String?> {
        projections.withLock { current in
            let widened = wanted.filter { namespace, projection in
                let before = current[namespace] ?? wholePod
                return before.union(projection) != before
            }
            current = wanted
            return Set(widened.keys)
        }
    }

    /// Pods from elsewhere than a reflector (a recording) as the cache keeps them.
    public func admitted(_ pods: [PodRecord]) -> [PodRecord] {
        pods.map { $0.projected(by: projection(forPodIn: $0.key.namespace)) }
    }

    /// A recorded event's pod as the cache keeps it.
    public func admitted(_ event: WatchEvent) -> WatchEvent {
        switch event {
        case .added(let pod): .added(pod.projected(by: projection(forPodIn: pod.key.namespace)))
        case .modified(let pod): .modified(pod.projected(by: projection(forPodIn: pod.key.namespace)))
        case .deleted(let pod): .deleted(pod.projected(by: projection(forPodIn: pod.key.namespace)))
        case .bookmark, .error: event
        }
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
