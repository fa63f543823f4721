import Foundation
import Logging
import ServiceLifecycle

/// `run --leader-elect --shards N`: the one interpreter of `ShardMembershipStateMachine`. Every
/// retry period it lists the member Leases (this replica's own is renewed by `member`, an
/// elector that alone ever takes it), hands the machine what its shard electors hold and see,
/// and tells each elector whether it may take its shard.
///
/// Run it after the electors in a service group: shut down first, it stops moving shards
/// while the hooks drain and the electors release.
public struct ShardMembership: Service {
    public let client: KubeClient
    public let namespace: String
    /// The election's name (`--leader-election-id`): members are `<id>-member-…`, shards `<id>-shard-<k>`.
    public let id: String
    public let identity: String
    public let timings: LeaderElectionTimings
    /// This replica's member Lease's elector, and one elector per shard, in shard order.
    public let member: LeaderElector
    public let shards: [LeaderElector]
    let clock: ElectionClock
    let logger: Logger

    /// The member elector and one unwilling elector per shard Lease; `observe(k)` is told of
    /// each change of shard k's leadership (metrics).
    public init(
        client: KubeClient, namespace: String, id: String, identity: String, shardCount: Int, timings: LeaderElectionTimings = LeaderElectionTimings(),
        clock: ElectionClock = .system, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger,
        observe: @escaping @Sendable (Int) -> @Sendable (Leadership.Change) -> Void = { _ in { _ in } }
    ) {
        self.client = client
        self.namespace = namespace
        self.id = id
        self.identity = identity
        self.timings = timings
        self.clock = clock
        self.logger = logger
        member = LeaderElector(
            client: client, namespace: namespace, name: Self.memberLeaseName(id: id, identity: identity), identity: identity, timings: timings,
            clock: clock, random: random, logger: logger)
        shards = (0..<shardCount).map { index in
            LeaderElector(
                client: client, namespace: namespace, name: PodShard(index, of: shardCount).leaseName(id: id), identity: identity, timings: timings,
                clock: clock, random: random, willing: false, logger: logger, observe: observe(index))
        }
    }

    public func run() async {
        await cancelWhenGracefulShutdown { await follow() }
    }

    private func follow() async {
        var machine = ShardMembershipStateMachine(identity: identity, shardCount: shards.count, timings: timings)
        var pending = machine.start()
        while !Task.isCancelled {
            var next: [ShardMembershipStateMachine.Action] = []
            for action in pending {
                switch action {
                case .list:
                    next += await list(&machine)
                case .setWilling(let shard, let willing):
                    shards[shard].setWilling(willing)
                    logger.debug("\(willing ? "may take" : "releases") shard \(shard)", metadata: metadata)
                case .membersChanged(let live, let quota):
                    logger.info(
                        "shard members: \(live.joined(separator: ", ")); this replica holds at most \(quota) of \(shards.count) shard(s)",
                        metadata: metadata)
                case .forget(let name, let resourceVersion):
                    await forget(name, at: resourceVersion)
                case .wake(let instant):
                    // At trace level: tests move their virtual clock only once every elector waits.
                    logger.trace("waiting until \(instant)", metadata: metadata.merging(["members": "\(id)-member-*"]) { $1 })
                    do { try await clock.sleep(instant) } catch { return }
                    next += machine.tick()
                }
            }
            pending = next
        }
    }

    /// One round: the member Leases listed, and the shards as the electors see them now.
    private func list(_ machine: inout ShardMembershipStateMachine) async -> [ShardMembershipStateMachine.Action] {
        let prefix = id + "-member-"
        do {
            let leases = try await client.leases(namespace: namespace, timeout: timings.renewDeadline)
            let members = leases.filter { $0.name.hasPrefix(prefix) }
            let held = shards.map { ShardMembershipStateMachine.Shard(held: $0.leadership.isLeading, holder: $0.leadership.holder) }
            return machine.listed(members, shards: held, at: clock.now())
        } catch {
            logger.warning("cannot list the member leases: \(error)", metadata: metadata)
            return machine.listFailed(at: clock.now())
        }
    }

    /// Deletes the member Lease of a replica gone for good, unless it changed meanwhile (409)
    /// or another member deleted it first (404).
    private func forget(_ name: String, at resourceVersion: String?) async {
        do {
            try await client.deleteLease(namespace: namespace, name: name, resourceVersion: resourceVersion, timeout: timings.renewDeadline)
            logger.info("deleted the member lease \(name): unchanged for an hour, its replica is gone", metadata: metadata)
        } catch .status(let status) where status.code == 404 || status.code == 409 {
            logger.debug("the member lease \(name) was deleted or renewed meanwhile", metadata: metadata)
        } catch {
            logger.warning("cannot delete the member lease \(name) of a replica gone for good: \(error)", metadata: metadata)
        }
    }

    private var metadata: Logger.Metadata { ["identity": "\(identity)"] }

    /// `<id>-member-<identity>`, the identity made a valid object name (lowercase letters,
    /// digits, '-' and '.'); when that changed it, a short stable hash of it follows, so two
    /// identities never share a member Lease.
    public static func memberLeaseName(id: String, identity: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
        let lowered = identity.lowercased()
        var name = String(lowered.map { allowed.contains($0) ? $0 : "-" })
        var suffix = ""
        if name != identity || name.isEmpty {
            suffix = "-" + String(String(StableHash.fnv1a(identity), radix: 16).suffix(8))
        }
        let prefix = id + "-member-"
        name = String(name.prefix(max(0, 253 - prefix.count - suffix.count)))
        while let last = name.last, !last.isLetter && !last.isNumber { name.removeLast() }
        return prefix + (name.isEmpty ? "x" : name) + suffix
    }
}
