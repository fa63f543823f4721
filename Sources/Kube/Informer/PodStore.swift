/// The pods a cache holds, and the rules that turn what the server says into events. It decides
/// what a change means from what it holds, not from the event type the server sent: a watch after
/// a relist can replay an ADDED for a known pod, and a pod recreated under the same name is a
/// different pod. Every event it makes is numbered (`PodEvent.sequence`).
public struct PodStore: Sendable {
    public private(set) var pods: [PodKey: PodRecord] = [:]
    /// The sequence number of the last event made.
    public private(set) var sequence: UInt64 = 0
    /// Pods come in as the cache keeps them (see `PodCache.projection`): the store keeps what
    /// it is given.
    public init() {}

    public var count: Int { pods.count }

    public subscript(key: PodKey) -> PodRecord? { pods[key] }

    /// Applies a watch event's object: ADDED or MODIFIED for a known key with the same UID is an
    /// update, for an unknown key an add; a new UID under a known key is a delete then an add;
    /// DELETED for an unknown key is nothing, and for a known key with another UID a tombstone
    /// of the pod held.
    public mutating func apply(_ event: WatchEvent) -> [PodEvent] {
        numbered(changes(for: event))
    }

    private mutating func changes(for event: WatchEvent) -> [PodEvent] {
        switch event {
        case .added(let pod), .modified(let pod):
            return upsert(pod, initial: false)
        case .deleted(let pod):
            guard let old = pods.removeValue(forKey: pod.key) else { return [] }
            // Another UID: the pod handlers know was deleted unseen (a tombstone with its last
            // known state), and the one deleted now was never delivered, so it gets nothing.
            guard old.uid == pod.uid else { return [.delete(old, tombstone: true, at: pod.resourceVersion)] }
            return [.delete(pod, tombstone: false, at: pod.resourceVersion)]
        case .bookmark, .error:
            return []
        }
    }

    /// Replaces the pods of `namespace` (nil: all of them) with a complete list of it. Keys that
    /// vanished are deletes marked as tombstones (their final state is unknown: the event carries
    /// the last one seen); changed resource versions are updates; unchanged pods produce nothing
    /// (a pod without a resource version always counts as changed);
    /// new keys are adds, marked initial when `initial` (the list's first).
    public mutating func replace(with items: [PodRecord], at resourceVersion: String, initial: Bool, namespace: String? = nil) -> [PodEvent] {
        var events: [PodEvent] = []
        var listed = Set<PodKey>(minimumCapacity: items.count)
        for item in items { listed.insert(item.key) }
        let vanished = pods.keys.filter { !listed.contains($0) && (namespace == nil || $0.namespace == namespace) }
        for key in vanished.sorted() {
            let last = pods.removeValue(forKey: key)!
            events.append(.delete(last, tombstone: true, at: resourceVersion))
        }
        for item in items {
            events += upsert(item, initial: initial, listResourceVersion: resourceVersion)
        }
        return numbered(events)
    }

    /// Drops, without events, the pods outside `namespaces` (nil: keep all): no watch covers them
    /// any more, so nobody is told about them.
    public mutating func forget(keeping namespaces: Set<String>?) {
        guard let namespaces else { return }
        pods = pods.filter { namespaces.contains($0.key.namespace) }
    }

    private mutating func numbered(_ events: [PodEvent]) -> [PodEvent] {
        events.map { event in
            sequence += 1
            var event = event
            event.sequence = sequence
            return event
        }
    }

    /// A new UID under a known key means the old pod was deleted unseen: its delete is inferred,
    /// so it is a tombstone. An unchanged version makes no event but replaces what is kept (a
    /// relist after the cache's projection widened brings the pod's fuller bytes).
    private mutating func upsert(_ pod: PodRecord, initial: Bool, listResourceVersion: String? = nil) -> [PodEvent] {
        let at = listResourceVersion ?? pod.resourceVersion
        guard let old = pods.updateValue(pod, forKey: pod.key) else { return [.add(pod, initial: initial, at: at)] }
        if old.uid != pod.uid {
            return [.delete(old, tombstone: true, at: at), .add(pod, initial: initial, at: at)]
        }
        return pod.isVersioned && old.resourceVersion == pod.resourceVersion ? [] : [.update(old, pod, at: at)]
    }
}
