import Kube

/// Why a pod reaches a hook in another form than the informer's event: it started or stopped
/// matching the hook's selectors (`ctx.reason`).
public enum HookEventReason: String, Sendable {
    case selected, unselected
}

/// A change of `status.phase` that `on_phase` is called for.
public struct PhaseTransition: Sendable, Equatable {
    public let from: String?
    public let to: String
}

/// One event as a hook's queue holds it: the informer's event (or several of one pod merged by
/// debounce or supersede), a resync or a timer, how far its handlers got and which attempt is next.
public struct QueuedEvent: Sendable, Equatable {
    /// Where a call comes from: the informer's events, the hook's `resync`, or its `timer.after`.
    public enum Origin: Sendable, Equatable {
        case informer, resync, timer
    }

    /// The pod states, in the informer event's box: shared by every hook the event is handed to
    /// and by each copy on its way to a call (into its line, out as the call, into the call's
    /// arguments).
    private var states: PodEvent.States
    public var origin = Origin.informer
    public var kind: PodEvent.Kind
    public var initial: Bool
    public var tombstone: Bool
    /// Replayed by a replica that took over leading (`ctx.replayed`).
    public var replayed: Bool
    public var reason: HookEventReason?

    /// The state the hook saw last (updates): for a merged update, the first event's.
    public var old: PodRecord? { states.old }
    public var pod: PodRecord {
        get { states.pod }
        set { states = PodEvent.States(old: states.old, pod: newValue) }
    }
    /// Every phase change a merged event spans, in order; nil: the one between `old` and `pod`.
    private(set) var mergedTransitions: [PhaseTransition]?
    /// The attempt about to run (1 first).
    public var attempt = 1
    /// The handler call to start from: 0 the event's own handler, k the k-th `on_phase`.
    public var step = 0
    /// The ledger batch it was reserved in; negative for a timer's call, which is not in the ledger.
    var batch: Int
    /// A debounced update still takes later updates of its pod until then.
    var mergeableUntil: UInt64?

    init(_ event: PodEvent, reason: HookEventReason? = nil, batch: Int) {
        kind = event.kind
        states = event.states
        initial = event.initial
        tombstone = event.tombstone
        replayed = event.replayed
        self.reason = reason
        self.batch = batch
    }

    /// A timer's call for `pod` (its state when the timer was set; the call gets the latest).
    init(timerFor pod: PodRecord) {
        origin = .timer
        kind = .update
        states = PodEvent.States(old: nil, pod: pod)
        initial = false
        tombstone = false
        replayed = false
        batch = -1
    }

    /// What `ctx.event` and the logs call it: `add`, `update`, `delete` or `timer`.
    public var name: String { origin == .timer ? "timer" : kind.rawValue }

    /// The phase changes `on_phase` is called for: none for a delete or a timer; from nil on an add.
    public var transitions: [PhaseTransition] {
        if let mergedTransitions { return mergedTransitions }
        guard kind != .delete, origin != .timer, let to = pod.phase else { return [] }
        let from = kind == .add ? nil : old?.phase
        return from == to ? [] : [PhaseTransition(from: from, to: to)]
    }

    /// Takes in a later event of the same pod, which it stands for from now on: an update keeps
    /// the first state the hook saw as `old` (an add stays an add) with the latest pod, and
    /// every phase change in between; any other pair is replaced by the later event. The merged
    /// event starts over at attempt 1. The later event's ledger unit is the caller's to release.
    mutating func absorb(_ later: QueuedEvent) {
        switch (kind, later.kind) {
        case (.add, .update), (.update, .update):
            mergedTransitions = transitions + later.transitions
            states = PodEvent.States(old: old, pod: later.pod)
        default:
            let batch = batch
            self = later
            self.batch = batch
        }
        attempt = 1
        step = 0
    }
}

extension QueuedEvent {
    public static func == (a: QueuedEvent, b: QueuedEvent) -> Bool {
        a.origin == b.origin && a.kind == b.kind && a.old == b.old && a.pod == b.pod && a.initial == b.initial && a.tombstone == b.tombstone
            && a.reason == b.reason && a.mergedTransitions == b.mergedTransitions && a.attempt == b.attempt && a.step == b.step
            && a.batch == b.batch && a.mergeableUntil == b.mergeableUntil
    }
}
