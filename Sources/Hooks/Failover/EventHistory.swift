import Kube
import NIOCore
import Synchronization

/// What a standby keeps of the events its warm informer saw after the last checkpoint it read
/// on the Lease, so that on taking over it replays exactly what the old leader may not have
/// handled (docs/leader-election.md, "Checkpoints and replay"). Bounded by a number of events
/// and by the bytes of the pod versions it keeps alive; past either bound the oldest go, and
/// the history then no longer reaches back as far.
///
/// Per watch (by namespace; "" for all namespaces), it knows from which resource version on it
/// has seen every change of a pod (`coveredFrom`). Its first list is the state at the list's
/// version, and each pod's own version says when it last changed: the history covers from the
/// newest of those (the list's version itself is usually later, Leases and ConfigMaps move it).
/// A pod deleted in between leaves no trace in a list; a takeover finds it in the hooks'
/// remembered pods (a tombstone). After a relist, coverage starts at the first change it
/// brings (its changes stand for events it missed); past the bounds, after the event dropped.
public final class EventHistory: Sendable {
    public struct Limits: Sendable, Equatable {
        public var events: Int
        public var bytes: Int

        public init(events: Int = 100_000, bytes: Int = 64 << 20) {
            self.events = events
            self.bytes = bytes
        }
    }

    /// What a new leader gets: the events after the checkpoint of each watch the history
    /// reaches back to, in order per watch, and why it cannot replay the others.
    public struct Replay: Sendable {
        public var events: [PodEvent] = []
        /// The pods those events are about: they get no initial add, their events carry them.
        public var pods: Set<PodKey> = []
        /// Watches the history does not reach back to the checkpoint for, and why.
        public var uncovered: [(watch: String, reason: String)] = []
        /// The last resource version seen per watch: what the replay and the world bring a hook to.
        public var through: [String: UInt64] = [:]
    }

    private struct Entry {
        let version: UInt64
        let event: PodEvent

        var bytes: Int { event.pod.json.storedByteCount + (event.old?.json.storedByteCount ?? 0) }
    }

    private struct Watch {
        var events = CircularBuffer<Entry>()
        /// Every event after this version has been seen; nil: not known yet (none seen since
        /// the start or a relist), or the watch's versions are not numbers.
        var coveredFrom: UInt64?
        var lastSeen: UInt64?
        var numbered = true
        /// Whether a change other than the first list's adds has come.
        var changed = false

        /// Notes a delivery, keeping its changes after `handled`; returns what it kept.
        mutating func note(_ delivered: [PodEvent], after handled: UInt64?) -> (count: Int, bytes: Int) {
            var kept = (count: 0, bytes: 0)
            for event in delivered {
                guard numbered, let version = UInt64(event.resourceVersion), let podVersion = UInt64(event.pod.resourceVersion) else {
                    numbered = false
                    coveredFrom = nil
                    continue
                }
                lastSeen = max(lastSeen ?? 0, version)
                if event.initial {
                    // State, not a change: it is never replayed.
                    if !changed { coveredFrom = max(coveredFrom ?? 0, podVersion) }
                    continue
                }
                changed = true
                if coveredFrom == nil { coveredFrom = version }
                if let handled, version <= handled { continue }
                let entry = Entry(version: version, event: event)
                events.append(entry)
                kept.count += 1
                kept.bytes += entry.bytes
            }
            return kept
        }
    }

    private struct State {
        var watches: [String: Watch] = [:]
        var count = 0
        var bytes = 0
        var checkpoint: LeaseCheckpoint?

        /// Drops the oldest event of `watch`.
        mutating func dropOldest(of watch: String) -> Entry {
            let dropped = watches[watch]!.events.removeFirst()
            count -= 1
            bytes -= dropped.bytes
            return dropped
        }

        /// Drops what the leader says it handled.
        mutating func trim(to checkpoint: LeaseCheckpoint) {
            self.checkpoint = checkpoint
            for (watch, handled) in checkpoint.handledThrough {
                while let version = watches[watch]?.events.first?.version, version <= handled { _ = dropOldest(of: watch) }
            }
        }

        /// Past a bound, drops the oldest event (of the watch whose oldest is oldest); its watch
        /// is then covered only from there.
        mutating func bound(_ limits: Limits) {
            while count > limits.events || bytes > limits.bytes {
                var oldest: (watch: String, version: UInt64)?
                for (watch, entry) in watches {
                    if let version = entry.events.first?.version, version < oldest?.version ?? .max { oldest = (watch, version) }
                }
                guard let oldest else { return }
                let dropped = dropOldest(of: oldest.watch)
                watches[oldest.watch]!.coveredFrom = max(watches[oldest.watch]!.coveredFrom ?? 0, dropped.version)
            }
        }
    }

    public let limits: Limits
    private let state = Mutex(State())

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Events kept, and the bytes of the pod versions they hold.
    public var size: (events: Int, bytes: Int) { state.withLock { ($0.count, $0.bytes) } }

    /// Keeps the events of one delivery (all of one watch, in order), dropping what `checkpoint`
    /// says was handled.
    func record(_ events: [PodEvent], watch: String, checkpoint: LeaseCheckpoint?) {
        state.withLock { state in
            if let checkpoint, checkpoint != state.checkpoint { state.trim(to: checkpoint) }
            let kept = state.watches[watch, default: Watch()].note(events, after: state.checkpoint?.handledThrough[watch])
            state.count += kept.count
            state.bytes += kept.bytes
            state.bound(limits)
        }
    }

    /// A watch lists again: what it sees next stands for events it may have missed.
    func relisting(watch: String) {
        state.withLock { state in
            state.watches[watch]?.coveredFrom = nil
        }
    }

    /// Standing by again after leading (the fence): every event after `through` (per watch, the
    /// last handed to the hooks while leading) comes to the history from now on, so it covers
    /// from there, and a later takeover replays when the checkpoint is at least that far.
    func resume(after through: [String: UInt64]) {
        state.withLock { state in
            state = State()
            for (watch, version) in through {
                state.watches[watch] = Watch(coveredFrom: version, lastSeen: version, changed: true)
            }
        }
    }

    /// Forgets everything (this replica leads now, or its watches changed).
    func clear() {
        state.withLock { $0 = State() }
    }

    /// The events to replay after `checkpoint`, then forgets them.
    func takeOver(after checkpoint: LeaseCheckpoint?) -> Replay {
        state.withLock { state in
            var replay = Replay()
            for watch in state.watches.keys.sorted() {
                let entry = state.watches[watch]!
                if let last = entry.lastSeen { replay.through[watch] = last }
                if let reason = Self.uncovered(entry, watch: watch, by: checkpoint) {
                    replay.uncovered.append((watch, reason))
                    continue
                }
                let handled = checkpoint!.handledThrough[watch]!
                for kept in entry.events where kept.version > handled {
                    replay.events.append(kept.event)
                    replay.pods.insert(kept.event.pod.key)
                }
            }
            state = State()
            return replay
        }
    }

    /// Why a takeover now would not replay the watches it names (empty: it would replay all).
    public func uncovered(by checkpoint: LeaseCheckpoint?) -> [(watch: String, reason: String)] {
        state.withLock { state in
            state.watches.keys.sorted().compactMap { watch in Self.uncovered(state.watches[watch]!, watch: watch, by: checkpoint).map { (watch, $0) } }
        }
    }

    /// Why `entry` does not reach back to `checkpoint`; nil when it does.
    private static func uncovered(_ entry: Watch, watch: String, by checkpoint: LeaseCheckpoint?) -> String? {
        guard let handled = checkpoint?.handledThrough[watch] else {
            return checkpoint == nil ? "the lease carries no checkpoint" : "the checkpoint does not name this watch"
        }
        guard entry.numbered else { return "its resource versions are not numbers" }
        guard let covered = entry.coveredFrom, covered <= handled else {
            let from = entry.coveredFrom.map { "resource version \($0)" } ?? "nothing (it has just relisted)"
            return "the history reaches back to \(from), not to the checkpoint \(handled)"
        }
        return nil
    }
}
