/// A change the informer hands to consumers.
public struct PodEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case add, update, delete
    }

    /// An event's pod states in one immutable box: an event is handed to every hook and queued
    /// in each, and the box makes each copy one reference instead of two records.
    public final class States: Sendable {
        public let old: PodRecord?
        public let pod: PodRecord

        public init(old: PodRecord?, pod: PodRecord) {
            self.old = old
            self.pod = pod
        }
    }

    public let kind: Kind
    public let states: States
    /// The previously delivered state (updates only).
    public var old: PodRecord? { states.old }
    /// The new state; for a delete, the last known state.
    public var pod: PodRecord { states.pod }
    /// An add from the informer's first list: the pod existed before it started.
    public let initial: Bool
    /// A delete inferred on a relist (the DELETED event was missed); `pod` is the last state seen.
    public let tombstone: Bool
    /// The resource version this event brought the informer to.
    public let resourceVersion: String
    /// Where the event stands in the cache's history (1, 2, ...; 0 for an event no cache made):
    /// a consumer that starts from a snapshot of the cache skips the events the snapshot reflects.
    /// It takes no part in equality.
    public internal(set) var sequence: UInt64 = 0
    /// Delivered again by a replica that took over leading, from the history it kept as a
    /// standby: the old leader may have handled it. It takes no part in equality.
    public private(set) var replayed = false

    private init(kind: Kind, old: PodRecord?, pod: PodRecord, initial: Bool, tombstone: Bool, resourceVersion: String) {
        self.kind = kind
        states = States(old: old, pod: pod)
        self.initial = initial
        self.tombstone = tombstone
        self.resourceVersion = resourceVersion
    }

    public static func add(_ pod: PodRecord, initial: Bool = false, at resourceVersion: String) -> PodEvent {
        PodEvent(kind: .add, old: nil, pod: pod, initial: initial, tombstone: false, resourceVersion: resourceVersion)
    }

    public static func update(_ old: PodRecord, _ new: PodRecord, at resourceVersion: String) -> PodEvent {
        PodEvent(kind: .update, old: old, pod: new, initial: false, tombstone: false, resourceVersion: resourceVersion)
    }

    public static func delete(_ pod: PodRecord, tombstone: Bool, at resourceVersion: String) -> PodEvent {
        PodEvent(kind: .delete, old: nil, pod: pod, initial: false, tombstone: tombstone, resourceVersion: resourceVersion)
    }

    /// The event as a new leader delivers it again: marked replayed, and outside the cache's
    /// sequence (no hook's world reflects it).
    public var asReplayed: PodEvent {
        var event = self
        event.replayed = true
        event.sequence = 0
        return event
    }

    public static func == (a: PodEvent, b: PodEvent) -> Bool {
        a.kind == b.kind && a.old == b.old && a.pod == b.pod && a.initial == b.initial && a.tombstone == b.tombstone
            && a.resourceVersion == b.resourceVersion
    }
}
