import Foundation

/// Leader election on a `coordination.k8s.io/v1` Lease by client-go's rules, as a pure state
/// machine: `LeaderElector` reports what the server answered and what time it is, and carries
/// out the actions it gets back. It reads no clock and sends nothing.
///
/// - A candidate reads the lease every retry period. It takes the lease (an update carrying the
///   read resourceVersion, or a create when there is none) when nobody holds it, or when the
///   record has not changed for the holder's lease duration **by the candidate's own clock**,
///   counted from when it saw the record change: clocks of different replicas never meet.
/// - The leader renews every retry period with the resourceVersion of its last write. Its
///   calls may start until the renew deadline after it *sent* its last successful write (no
///   other replica can have seen that write before it was sent, so none can take the lease
///   before that instant plus the lease duration, later than the deadline). When the deadline
///   passes without a renewal, or a write gets 409 (another replica wrote the lease), it stops
///   leading at once and becomes a candidate again.
/// - Asked to stop, a leader stops leading, then releases the lease (holder "", duration 1 s,
///   as client-go's ReleaseOnCancel does), so a candidate takes it at its next read.
/// - Unwilling (`willingnessChanged(false)`: shards, another replica's turn), a candidate goes
///   on reading the lease but takes it in no case. A leader hands its work over first: at its
///   next round it asks for that (`handOver`) and goes on leading and renewing while its hooks
///   finish what they took; once told `handedOver`, it stops leading and releases, then goes on
///   as a candidate instead of finishing.
///
/// One request at a time is in flight; each report is valid only while one is (`tick` and
/// `stopRequested` at any time). A report in another phase is a bug in the elector: debug
/// builds stop at an assertion; release builds warn and read the lease again after a retry period.
public struct LeaderElectionStateMachine: Sendable {
    /// A reading of the elector's clock: monotonic nanoseconds for every wait and deadline,
    /// and the wall-clock time written into the lease (for people; no replica compares it).
    public struct Time: Sendable, Equatable {
        public var monotonic: UInt64
        public var wall: Date

        public init(monotonic: UInt64, wall: Date) {
            self.monotonic = monotonic
            self.wall = wall
        }
    }

    public enum Action: Sendable, Equatable {
        /// Read the lease, then report `leaseObserved`.
        case get
        /// Create the lease (none exists), then report `writeSucceeded`, `conflict` or `requestFailed`.
        case create(LeaseRecord)
        /// Write the lease (to take or renew it) with this resourceVersion as a precondition.
        case update(LeaseRecord, resourceVersion: String)
        /// Write the lease to give it up; the machine finishes once it is answered.
        case release(LeaseRecord, resourceVersion: String)
        /// Take no new work and finish what was taken, then report `handedOver` (an unwilling
        /// leader, before it releases).
        case handOver
        /// This replica leads from now on: calls may start until this monotonic instant.
        case becomeLeader(until: UInt64)
        /// A renewal: calls may start until this later instant.
        case renewed(until: UInt64)
        /// This replica no longer leads: no call may start from now on.
        case stopLeading(LeadershipLoss)
        /// Report `tick` at this instant (it replaces any wake-up asked for before).
        case wake(at: UInt64)
        /// The lease names a new holder (nil: nobody holds it).
        case holderObserved(String?)
        /// Log this warning (a bug in the elector).
        case warn(String)
        /// Stopped: nothing more will be asked for.
        case finished
    }

    enum Request: Equatable {
        case get, create, update, release
    }

    enum Phase: Equatable {
        case idle
        /// A request is in flight, sent at this monotonic instant.
        case requesting(Request, sentAt: UInt64)
        /// Nothing in flight; the next request goes out at this instant.
        case waiting(until: UInt64)
        case stopped
    }

    public let identity: String
    public let timings: LeaderElectionTimings
    var phase: Phase = .idle
    /// The record as last seen, when this replica saw it change, and the version to write over.
    var observed: LeaseRecord?
    var observedAt: UInt64 = 0
    var resourceVersion: String?
    /// Whom the last `holderObserved` named.
    var reportedHolder: String?
    /// While leading: the instant from which no call may start without another renewal.
    public private(set) var leadingUntil: UInt64?
    var stopRequested = false
    /// Whether this replica may take the lease (and keep it): see `willingnessChanged`.
    public private(set) var willing: Bool
    /// An unwilling leader asked for its work to be handed over, and whether that is done.
    var handingOver = false
    var handedOverReported = false
    /// False only in tests of the release-build answer to a report in the wrong phase.
    var assertsOnMisuse = true
    private let random: @Sendable () -> Double

    /// - Parameter random: a number in [0, 1): candidates read the lease every 0.75 to 1 retry
    ///   periods, so several do not keep colliding; never longer, so a released lease is taken
    ///   within one retry period.
    public init(
        identity: String, timings: LeaderElectionTimings = LeaderElectionTimings(), willing: Bool = true,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        precondition(timings.isValid, "leader election timings out of order: \(timings)")
        self.identity = identity
        self.willing = willing
        self.timings = timings
        self.random = random
    }

    public var isLeading: Bool { leadingUntil != nil }

    // MARK: Inputs

    public mutating func start(at now: Time) -> [Action] {
        guard phase == .idle else { return misuse("start", at: now) }
        phase = .requesting(.get, sentAt: now.monotonic)
        return [.get]
    }

    /// The lease as read (nil: there is none).
    public mutating func leaseObserved(_ lease: ObservedLease?, at now: Time) -> [Action] {
        guard case .requesting(.get, _) = phase else { return misuse("leaseObserved", at: now) }
        guard let lease else {
            if stopRequested { return finish() }
            if !willing { return waitAsCandidate(at: now) }
            let record = LeaseRecord(
                holderIdentity: identity, leaseDurationSeconds: timings.leaseDurationSeconds, acquireTime: now.wall, renewTime: now.wall,
                leaseTransitions: 0)
            phase = .requesting(.create, sentAt: now.monotonic)
            return [.create(record)]
        }
        var actions = note(lease, at: now)
        if stopRequested { return actions + finish() }
        if !willing { return actions + waitAsCandidate(at: now) }
        if let holder = lease.record.holder, holder != identity, now.monotonic < observedAt + lifetime(of: lease.record) {
            return actions + waitAsCandidate(at: now)
        }
        phase = .requesting(.update, sentAt: now.monotonic)
        actions.append(.update(claim(lease.record, at: now), resourceVersion: lease.resourceVersion))
        return actions
    }

    /// A create, update or release succeeded; `lease` is what the server stored.
    public mutating func writeSucceeded(_ lease: ObservedLease, at now: Time) -> [Action] {
        guard case .requesting(let request, let sentAt) = phase, request != .get else { return misuse("writeSucceeded", at: now) }
        // A deadline that passed before this answer ended the term: a renewal starts another.
        var actions = (deadlinePassed(at: now) ? stopLeading(.renewDeadline) : []) + note(lease, at: now)
        if request == .release { return actions + finishOrWait(at: now) }
        let until = sentAt + timings.renewDeadline.nanosecondCount
        if until > now.monotonic {
            actions.append(isLeading ? .renewed(until: until) : .becomeLeader(until: until))
            leadingUntil = until
        }
        if stopRequested { return actions + releaseOrFinish(holding: lease.record.holder == identity, at: now) }
        if handedOverReported, isLeading { return actions + release(lease.resourceVersion, at: now) }
        return actions + waitForNextRound(at: now)
    }

    /// A write was refused with 409: another replica wrote the lease since this one read it.
    public mutating func conflict(at now: Time) -> [Action] {
        guard case .requesting(let request, _) = phase, request != .get else { return misuse("conflict", at: now) }
        if request == .release { return finishOrWait(at: now) }
        let actions = isLeading ? stopLeading(.conflict) : []
        if stopRequested { return actions + finish() }
        return actions + waitAsCandidate(at: now)
    }

    /// A request got no usable answer (no connection, a timeout, an error status other than 409).
    public mutating func requestFailed(at now: Time) -> [Action] {
        guard case .requesting(let request, _) = phase else { return misuse("requestFailed", at: now) }
        if request == .release { return finishOrWait(at: now) }
        var actions = deadlinePassed(at: now) ? stopLeading(.renewDeadline) : []
        if stopRequested { return actions + releaseOrFinish(holding: isLeading, at: now) }
        actions += isLeading ? waitForNextRound(at: now) : waitAsCandidate(at: now)
        return actions
    }

    /// A wake-up came due (or any time: an early one only asks again).
    public mutating func tick(at now: Time) -> [Action] {
        let actions = deadlinePassed(at: now) ? stopLeading(.renewDeadline) : []
        switch phase {
        case .waiting(let until) where now.monotonic >= until:
            guard let leadingUntil, let observed, let resourceVersion else {
                phase = .requesting(.get, sentAt: now.monotonic)
                return actions + [.get]
            }
            if handedOverReported { return actions + release(resourceVersion, at: now) }
            var handOver: [Action] = []
            if !willing, !handingOver {
                handingOver = true
                handOver = [.handOver]
            }
            phase = .requesting(.update, sentAt: now.monotonic)
            // While the renewal is in flight, the deadline still has to be kept.
            return actions + handOver + [.update(claim(observed, at: now), resourceVersion: resourceVersion), .wake(at: leadingUntil)]
        case .waiting(let until):
            return actions + [.wake(at: until)]
        case .requesting:
            return actions + (leadingUntil.map { [.wake(at: $0)] } ?? [])
        case .idle, .stopped:
            return actions
        }
    }

    /// Whether this replica may take the lease from now on. A candidate made willing while it
    /// waits reads the lease at once (a shard another replica released is taken without waiting
    /// a retry period); a leader made unwilling asks for its work to be handed over at its next
    /// round (once asked, that goes on whatever willingness says next).
    public mutating func willingnessChanged(_ willing: Bool, at now: Time) -> [Action] {
        guard willing != self.willing else { return [] }
        self.willing = willing
        guard willing, !isLeading, !stopRequested, case .waiting = phase else { return [] }
        phase = .requesting(.get, sentAt: now.monotonic)
        return [.get]
    }

    /// The work asked for by `handOver` is done: the leader stops leading and releases now, or
    /// once the renewal in flight is answered. Ignored unless it leads and asked.
    public mutating func handedOver(at now: Time) -> [Action] {
        guard handingOver, isLeading, !handedOverReported else { return [] }
        handedOverReported = true
        guard case .waiting = phase, let resourceVersion else { return [] }
        return release(resourceVersion, at: now)
    }

    /// Graceful shutdown: a leader stops leading and releases the lease once no request is in
    /// flight; a candidate just finishes.
    public mutating func stopRequested(at now: Time) -> [Action] {
        stopRequested = true
        switch phase {
        case .requesting:
            return []
        case .idle, .waiting:
            return releaseOrFinish(holding: isLeading, at: now)
        case .stopped:
            return [.finished]
        }
    }

    // MARK: Steps

    /// Takes in a lease read or written: the record's time of change is this replica's own
    /// clock's, and a new holder is reported.
    private mutating func note(_ lease: ObservedLease, at now: Time) -> [Action] {
        if observed != lease.record {
            observed = lease.record
            observedAt = now.monotonic
        }
        resourceVersion = lease.resourceVersion
        guard reportedHolder != lease.record.holder else { return [] }
        reportedHolder = lease.record.holder
        return [.holderObserved(lease.record.holder)]
    }

    /// How long a record stays valid after it was seen to change: the duration its holder
    /// wrote, else this replica's own.
    private func lifetime(of record: LeaseRecord) -> UInt64 {
        let seconds = record.leaseDurationSeconds.flatMap { $0 > 0 ? $0 : nil } ?? timings.leaseDurationSeconds
        return UInt64(seconds) * 1_000_000_000
    }

    /// The record that takes (or renews) `record` for this replica now: the acquire time and
    /// the transition count carry on for the same holder, a new holder counts one transition.
    private func claim(_ record: LeaseRecord, at now: Time) -> LeaseRecord {
        let same = record.holder == identity
        return LeaseRecord(
            holderIdentity: identity, leaseDurationSeconds: timings.leaseDurationSeconds,
            acquireTime: same ? record.acquireTime ?? now.wall : now.wall, renewTime: now.wall,
            leaseTransitions: (record.leaseTransitions ?? 0) + (same ? 0 : 1))
    }

    private func deadlinePassed(at now: Time) -> Bool {
        leadingUntil.map { now.monotonic >= $0 } ?? false
    }

    private mutating func stopLeading(_ loss: LeadershipLoss) -> [Action] {
        leadingUntil = nil
        // A term that ends ends its hand-over: whatever the hooks finish after is not reported.
        handingOver = false
        handedOverReported = false
        return [.stopLeading(loss)]
    }

    /// The leader's next renewal, one retry period on (or at its deadline, if that comes first).
    private mutating func waitForNextRound(at now: Time) -> [Action] {
        var next = now.monotonic + timings.retryPeriod.nanosecondCount
        if let leadingUntil { next = min(next, leadingUntil) }
        phase = .waiting(until: next)
        return [.wake(at: next)]
    }

    /// A candidate's next read, 0.75 to 1 retry periods on.
    private mutating func waitAsCandidate(at now: Time) -> [Action] {
        let period = Double(timings.retryPeriod.nanosecondCount)
        let next = now.monotonic + UInt64(period * (1 - 0.25 * random()))
        phase = .waiting(until: next)
        return [.wake(at: next)]
    }

    private mutating func releaseOrFinish(holding: Bool, at now: Time) -> [Action] {
        guard holding, let resourceVersion else { return (isLeading ? stopLeading(.released) : []) + finish() }
        return release(resourceVersion, at: now)
    }

    /// Stops leading (if it leads), then writes the lease with no holder.
    private mutating func release(_ resourceVersion: String, at now: Time) -> [Action] {
        let actions = isLeading ? stopLeading(.released) : []
        let record = LeaseRecord(
            holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now.wall, renewTime: now.wall,
            leaseTransitions: observed?.leaseTransitions ?? 0)
        phase = .requesting(.release, sentAt: now.monotonic)
        return actions + [.release(record, resourceVersion: resourceVersion)]
    }

    /// After a release: stopping finishes; otherwise (an unwilling leader) it goes on as a candidate.
    private mutating func finishOrWait(at now: Time) -> [Action] {
        stopRequested ? finish() : waitAsCandidate(at: now)
    }

    private mutating func finish() -> [Action] {
        phase = .stopped
        return [.finished]
    }

    /// A report that is not valid now: a bug in the elector. Stops debug builds; otherwise
    /// warns and reads the lease again after a retry period.
    private mutating func misuse(_ report: String, at now: Time) -> [Action] {
        let message = "leader election protocol error: \(report) reported while \(phase)"
        if assertsOnMisuse { assertionFailure(message) }
        return [.warn(message)] + (isLeading ? waitForNextRound(at: now) : waitAsCandidate(at: now))
    }
}

extension Duration {
    /// Whole nanoseconds, on the elector clock's scale (negative durations count as zero).
    var nanosecondCount: UInt64 { UInt64(max(0, nanoseconds)) }
}
