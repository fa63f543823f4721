import Synchronization

/// Whether this replica leads its lease, for whoever must not act without leading: the hooks
/// ask before each handler call starts, the `kube` helper before each write. The elector sets
/// it; it answers by the clock, not only by what the elector last said: leading ends at the
/// renew deadline of the last renewal even if the elector is late to say so, or gone.
public final class Leadership: Sendable {
    /// A change the elector made, in order: the daemon follows them to start and stop the hooks.
    public enum Change: Sendable, Equatable {
        case started
        case stopped(LeadershipLoss)
        /// Still leading, and about to release (shards: another replica's turn): take no new
        /// work, finish what was taken, publish the last checkpoint, then say `handedOver`.
        case handOver
    }

    private struct State {
        var leadingUntil: UInt64?
        var holder: String?
        var observedCheckpoint: LeaseCheckpoint?
        var checkpointToWrite: LeaseCheckpoint?
        /// The elector's, told of `handedOver`.
        var handedOverListener: (@Sendable () -> Void)?
    }

    /// `namespace/name` of the Lease.
    public let lease: String
    public let identity: String
    /// The elector clock's monotonic nanoseconds.
    private let now: @Sendable () -> UInt64
    private let state = Mutex(State())
    public let changes: AsyncStream<Change>
    private let continuation: AsyncStream<Change>.Continuation

    public init(lease: String, identity: String, now: @escaping @Sendable () -> UInt64) {
        self.lease = lease
        self.identity = identity
        self.now = now
        (changes, continuation) = AsyncStream.makeStream()
    }

    /// True until the renew deadline of the last renewal. The clock is read under the lock,
    /// so an answer and a renewal are in one order (see `lead`).
    public var isLeading: Bool {
        state.withLock { state in state.leadingUntil.map { now() < $0 } ?? false }
    }

    /// Who holds the lease as this replica last saw it (nil: nobody, or not read yet).
    public var holder: String? { state.withLock { $0.holder } }

    func observe(holder: String?) {
        state.withLock { state in
            state.holder = holder
            // Another holder (or none: a release written) wrote since: a checkpoint of this
            // replica's is never written over theirs when it takes the lease again (shards).
            if holder != identity { state.checkpointToWrite = nil }
        }
    }

    /// The checkpoint on the Lease as this replica last read or wrote it: a standby drops the
    /// history it holds up to it, and a new leader replays what it saw after it.
    public var observedCheckpoint: LeaseCheckpoint? { state.withLock { $0.observedCheckpoint } }

    func observe(_ lease: Lease) {
        let checkpoint = lease.annotations[LeaseCheckpoint.annotation].flatMap(LeaseCheckpoint.init(annotation:))
        state.withLock { $0.observedCheckpoint = checkpoint }
    }

    /// The leader's checkpoint, written with its next renewal (and its release). Ignored unless
    /// this replica leads: a checkpoint computed in a term that has ended is not written.
    public func publish(_ checkpoint: LeaseCheckpoint) {
        state.withLock { state in
            guard let until = state.leadingUntil, now() < until else { return }
            state.checkpointToWrite = checkpoint
        }
    }

    /// What the elector's next write carries: the checkpoint published in this term, else the
    /// one the Lease carries (a new leader keeps its predecessor's until it has its own).
    var checkpointToWrite: LeaseCheckpoint? { state.withLock { $0.checkpointToWrite } }

    /// Leads (again, after a renewal) until `until`; returns the changes made. A term whose
    /// deadline has passed is over, even if the elector has not said so yet: someone may have
    /// been told it does not lead, and stopped. A renewal then ends it and starts a new one.
    @discardableResult
    func lead(until: UInt64) -> [Change] {
        let changes = state.withLock { state -> [Change] in
            var changes: [Change] = []
            if let current = state.leadingUntil, now() >= current {
                changes.append(.stopped(.renewDeadline))
                state.leadingUntil = nil
            }
            if state.leadingUntil == nil {
                changes.append(.started)
                state.checkpointToWrite = nil
            }
            state.leadingUntil = until
            return changes
        }
        for change in changes { continuation.yield(change) }
        return changes
    }

    /// Asks whoever follows `changes` to hand the work over (`Change.handOver`).
    func handOver() {
        continuation.yield(.handOver)
    }

    /// The work `Change.handOver` asked for is done and the last checkpoint published: the
    /// elector releases the lease.
    public func handedOver() {
        state.withLock { $0.handedOverListener }?()
    }

    /// The elector hears of `handedOver` through `listener`.
    func listenForHandedOver(_ listener: @escaping @Sendable () -> Void) {
        state.withLock { $0.handedOverListener = listener }
    }

    /// Stops leading; returns the change when it led.
    @discardableResult
    func stop(_ loss: LeadershipLoss) -> [Change] {
        let stopped = state.withLock { state in
            defer {
                state.leadingUntil = nil
                // A release still carries the last checkpoint (the drained leader's).
                if loss != .released { state.checkpointToWrite = nil }
            }
            return state.leadingUntil != nil
        }
        guard stopped else { return [] }
        continuation.yield(.stopped(loss))
        return [.stopped(loss)]
    }
}
