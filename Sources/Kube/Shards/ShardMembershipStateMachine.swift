/// `run --leader-elect --shards N`: which shard Leases this replica may hold, as a pure state
/// machine (`ShardMembership` is its one interpreter). Each replica renews a member Lease of its
/// own (an elector that always leads it); this machine lists the member Leases every retry
/// period and, from who is live and which shards this replica's electors hold, says which
/// shard electors are willing to take (and keep) their Lease.
///
/// - **Live**: a member Lease with a holder whose record changed within its lease duration, **by
///   this replica's own clock** from when it saw the change (clocks of replicas never meet, as
///   in `LeaderElectionStateMachine`). This replica is always live to itself.
/// - **Quota**: each replica holds at most ceil(N / live members) shards. Over it, the
///   highest-numbered shards it holds are released (their electors made unwilling).
/// - **Taking**: under it, it is willing for as many free shards as its quota leaves: shards
///   nobody holds, or whose holder is not live (orphaned), in an order that starts at its
///   position among the live members times the quota, so replicas do not all race for the same
///   shard (a replica that joins prefers the highest-numbered shards, those the others release).
///   A replica that overshoots (two took at once) releases its extras at a later round.
/// - **Forgetting**: a member Lease of another replica unchanged for `forgetAfter` by this
///   replica's clock belongs to a replica gone for good (every rollout leaves its old pods'
///   Leases behind): it is deleted, on the condition that it is still the version seen.
public struct ShardMembershipStateMachine: Sendable {
    /// One shard as this replica's elector of its Lease last saw it.
    public struct Shard: Sendable, Equatable {
        /// Whether this replica leads it.
        public var held: Bool
        /// Who holds it (nil: nobody, or not read yet).
        public var holder: String?

        public init(held: Bool, holder: String?) {
            self.held = held
            self.holder = holder
        }
    }

    public enum Action: Sendable, Equatable {
        /// List the member Leases, then report `listed` (or `listFailed`).
        case list
        /// The elector of this shard may (true) or may not (false) take and keep its Lease.
        case setWilling(shard: Int, Bool)
        /// The live members (sorted) and this replica's quota changed: logged.
        case membersChanged(live: [String], quota: Int)
        /// Report `tick` at this instant.
        case wake(at: UInt64)
        /// Delete this member Lease if it is still at this resource version (a replica gone
        /// for good); asked once per version.
        case forget(member: String, resourceVersion: String?)
    }

    /// How long another member's Lease stays unchanged before it is deleted: long past any
    /// lease duration, so only a replica that is gone loses its Lease (one that comes back
    /// creates it again).
    public static let forgetAfter: UInt64 = 3_600 * 1_000_000_000

    public let identity: String
    public let shardCount: Int
    public let timings: LeaderElectionTimings
    /// Each member Lease as last listed, and when this replica saw its record change.
    var seen: [String: (record: LeaseRecord, resourceVersion: String?, changedAt: UInt64)] = [:]
    /// The member Leases this replica asked to delete, and at which version.
    var forgotten: [String: String?] = [:]
    /// What each shard's elector was last told (they start unwilling).
    public private(set) var willing: [Bool]
    var reported: (live: [String], quota: Int)?

    public init(identity: String, shardCount: Int, timings: LeaderElectionTimings = LeaderElectionTimings()) {
        precondition(shardCount > 0, "at least one shard")
        self.identity = identity
        self.shardCount = shardCount
        self.timings = timings
        willing = Array(repeating: false, count: shardCount)
    }

    public func start() -> [Action] { [.list] }

    public func tick() -> [Action] { [.list] }

    /// The list failed: what was decided stands; it lists again after a retry period.
    public func listFailed(at now: UInt64) -> [Action] {
        [.wake(at: now + timings.retryPeriod.nanosecondCount)]
    }

    /// The member Leases as listed at `now` (monotonic), and the shards as this replica's
    /// electors see them (`shards.count == shardCount`).
    public mutating func listed(_ members: [Lease], shards: [Shard], at now: UInt64) -> [Action] {
        precondition(shards.count == shardCount, "one entry per shard")
        var next: [String: (record: LeaseRecord, resourceVersion: String?, changedAt: UInt64)] = [:]
        for member in members {
            let previous = seen[member.name].flatMap { $0.record == member.record ? $0.changedAt : nil }
            next[member.name] = (member.record, member.resourceVersion, previous ?? now)
        }
        seen = next
        forgotten = forgotten.filter { next[$0.key] != nil }
        let live = liveMembers(at: now)
        let quota = (shardCount + live.count - 1) / live.count
        var actions: [Action] = []
        if reported.map({ $0.live != live || $0.quota != quota }) ?? true {
            reported = (live, quota)
            actions.append(.membersChanged(live: live, quota: quota))
        }
        let wanted = wantedShards(shards, live: live, quota: quota)
        for shard in 0..<shardCount where willing[shard] != wanted.contains(shard) {
            willing[shard] = wanted.contains(shard)
            actions.append(.setWilling(shard: shard, willing[shard]))
        }
        for (name, member) in seen.sorted(by: { $0.key < $1.key })
        where member.record.holder != identity && now - member.changedAt >= Self.forgetAfter && forgotten[name] != .some(member.resourceVersion) {
            forgotten[name] = .some(member.resourceVersion)
            actions.append(.forget(member: name, resourceVersion: member.resourceVersion))
        }
        return actions + [.wake(at: now + timings.retryPeriod.nanosecondCount)]
    }

    /// The identities of the live members, this replica's among them, sorted.
    func liveMembers(at now: UInt64) -> [String] {
        var live: Set<String> = [identity]
        for (record, _, changedAt) in seen.values {
            guard let holder = record.holder else { continue }
            let seconds = record.leaseDurationSeconds.flatMap { $0 > 0 ? $0 : nil } ?? timings.leaseDurationSeconds
            if now < changedAt + UInt64(seconds) * 1_000_000_000 { live.insert(holder) }
        }
        return live.sorted()
    }

    /// The shards it keeps (the lowest-numbered it holds, up to the quota) and those it may take.
    func wantedShards(_ shards: [Shard], live: [String], quota: Int) -> Set<Int> {
        let held = shards.indices.filter { shards[$0].held }
        var wanted = Set(held.prefix(quota))
        let position = live.firstIndex(of: identity) ?? 0
        let start = position * quota % shardCount
        let free = (0..<shardCount).map { (start + $0) % shardCount }.filter { shard in
            guard !shards[shard].held else { return false }
            guard let holder = shards[shard].holder, holder != identity else { return true }
            return !live.contains(holder)
        }
        wanted.formUnion(free.prefix(max(0, quota - wanted.count)))
        return wanted
    }
}
