import ArgumentParser
import Foundation
import Hooks
import Kube
import Logging

/// `run --leader-elect`: several replicas, one running the hooks (docs/leader-election.md).
struct LeaderElectionOptions: ParsableArguments {
    @Flag(help: """
        Run as one of several replicas: only the one holding the Lease runs handlers, schedules and \
        timers; the others watch and load the hooks (warm standbys) and take over when the leader \
        stops renewing, or at once when it releases the Lease on shutdown.
        """)
    var leaderElect = false

    @Option(help: ArgumentHelp(
        "The namespace of the Lease (default: the pod's own namespace in a cluster, else the kubeconfig context's).", valueName: "namespace"))
    var leaderElectionNamespace: String?

    @Option(help: ArgumentHelp("The name of the Lease the replicas share.", valueName: "name"))
    var leaderElectionId = "kubelua"

    @Option(help: ArgumentHelp(
        "Seconds the other replicas wait, from when they last saw the Lease change, before they take it over (whole seconds; default 15).",
        valueName: "seconds"))
    var leaseDuration: Int?

    @Option(help: ArgumentHelp(
        "Seconds the leader goes on starting handler calls without a successful renewal; then it stops, before the Lease can run out (default 10).",
        valueName: "seconds"))
    var renewDeadline: Double?

    @Option(help: ArgumentHelp(
        "Seconds between the leader's renewals, and between the standbys' reads of the Lease (default 2).", valueName: "seconds"))
    var retryPeriod: Double?

    @Option(help: ArgumentHelp(
        "Events a standby keeps of what it saw after the leader's last checkpoint, to replay when it takes over (default 100000).",
        valueName: "count"))
    var historyEvents: Int?

    @Option(help: ArgumentHelp(
        "MiB of pod versions a standby's history may hold; past it or --history-events the oldest go, and a takeover replays only if what is left reaches back to the checkpoint (default 64).",
        valueName: "MiB"))
    var historyMemory: Int?

    @Option(help: ArgumentHelp(
        "Split the hook work in N shards, each with its own Lease (<id>-shard-<k>): a pod belongs to shard FNV-1a-64(\"namespace/name\") mod N; each replica holds at most ceil(N / live replicas) shards and calls handlers only for their pods; schedules run on the holder of shard 0 (default 1: one Lease, <id>).",
        valueName: "N"))
    var shards = 1

    /// The most shards: each is a Lease, an elector and a runtime with every hook loaded.
    static let maximumShards = 64

    func validate() throws {
        if !leaderElect {
            let given = [("--shards", shards != 1), ("--leader-election-namespace", leaderElectionNamespace != nil), ("--lease-duration", leaseDuration != nil),
                         ("--renew-deadline", renewDeadline != nil), ("--retry-period", retryPeriod != nil),
                         ("--history-events", historyEvents != nil), ("--history-memory", historyMemory != nil)].filter(\.1).map(\.0)
            if let flag = given.first { throw ValidationError("\(flag) takes effect only with --leader-elect") }
            return
        }
        if let namespace = leaderElectionNamespace, !PodQuery.isNamespaceName(namespace) {
            throw ValidationError("--leader-election-namespace \(namespace): not a namespace name (lowercase letters, digits and '-', at most 63)")
        }
        if !PodQuery.isObjectName(leaderElectionId) {
            throw ValidationError("--leader-election-id \(leaderElectionId): not a Lease name (lowercase letters, digits, '-' and '.', at most 253)")
        }
        if !(1...Self.maximumShards).contains(shards) {
            throw ValidationError("--shards must be a whole number from 1 to \(Self.maximumShards) (got \(shards))")
        }
        if shards > 1, !PodQuery.isObjectName(PodShard(shards - 1, of: shards).leaseName(id: leaderElectionId)) {
            throw ValidationError("--leader-election-id \(leaderElectionId): too long for --shards \(shards) (the shards' Leases are named <id>-shard-<k>)")
        }
        if let events = historyEvents, events < 0 { throw ValidationError("--history-events must be 0 or more (got \(events))") }
        if let memory = historyMemory, memory < 0 { throw ValidationError("--history-memory must be 0 or more MiB (got \(memory))") }
        let timings = timings
        if timings.leaseDurationSeconds < 1 {
            throw ValidationError("--lease-duration must be a whole number of seconds, at least 1 (got \(timings.leaseDurationSeconds))")
        }
        if !(timings.retryPeriod > .zero) {
            throw ValidationError("--retry-period must be a positive number of seconds (got \(Self.seconds(timings.retryPeriod)))")
        }
        if timings.renewDeadline <= timings.retryPeriod {
            throw ValidationError("""
                --renew-deadline (\(Self.seconds(timings.renewDeadline)) s) must be longer than --retry-period \
                (\(Self.seconds(timings.retryPeriod)) s): the leader renews every retry period and needs more than one try
                """)
        }
        if timings.renewDeadline >= timings.leaseDuration {
            throw ValidationError("""
                --renew-deadline (\(Self.seconds(timings.renewDeadline)) s) must be shorter than --lease-duration \
                (\(timings.leaseDurationSeconds) s): the leader must stop before another replica may take the Lease over
                """)
        }
    }

    var timings: LeaderElectionTimings {
        let defaults = LeaderElectionTimings()
        return LeaderElectionTimings(
            leaseDurationSeconds: leaseDuration ?? defaults.leaseDurationSeconds,
            renewDeadline: renewDeadline.map { .milliseconds(Int64($0 * 1000)) } ?? defaults.renewDeadline,
            retryPeriod: retryPeriod.map { .milliseconds(Int64($0 * 1000)) } ?? defaults.retryPeriod)
    }

    /// What a standby's history keeps.
    var historyLimits: EventHistory.Limits {
        let defaults = EventHistory.Limits()
        return EventHistory.Limits(events: historyEvents ?? defaults.events, bytes: historyMemory.map { $0 << 20 } ?? defaults.bytes)
    }

    /// This replica's electors, or nil without `--leader-elect`. `namespace` is where the
    /// Leases live unless the flag says otherwise.
    func election(client: KubeClient, namespace: String, metrics: KubeluaMetrics?, logger: Logger) -> Election? {
        guard leaderElect else { return nil }
        let identity = Self.identity(environment: ProcessInfo.processInfo.environment, hostName: ProcessInfo.processInfo.hostName)
        let namespace = leaderElectionNamespace ?? namespace
        logger.info("leader election: standing by until this replica holds the lease", metadata: [
            "lease": "\(namespace)/\(leaderElectionId)", "identity": "\(identity)", "shards": .stringConvertible(shards),
        ])
        let observe: @Sendable (String) -> @Sendable (Leadership.Change) -> Void = { lease in
            guard let metrics else { return { _ in } }
            return metrics.leadershipObserver(lease: "\(namespace)/\(lease)")
        }
        guard shards > 1 else {
            let elector = LeaderElector(
                client: client, namespace: namespace, name: leaderElectionId, identity: identity, timings: timings, logger: logger,
                observe: observe(leaderElectionId))
            return Election(electors: [elector], membership: nil)
        }
        let membership = ShardMembership(
            client: client, namespace: namespace, id: leaderElectionId, identity: identity, shardCount: shards, timings: timings, logger: logger,
            observe: { [leaderElectionId, shards] index in observe(PodShard(index, of: shards).leaseName(id: leaderElectionId)) })
        return Election(electors: [membership.member] + membership.shards, membership: membership)
    }

    /// What `--leader-elect` runs: the electors (with shards, the member Lease's first, then
    /// one per shard) and, with shards, the membership that tells them which to take.
    struct Election {
        var electors: [LeaderElector]
        var membership: ShardMembership?

        /// Each runtime's leadership, in shard order.
        var leaderships: [Leadership] {
            (membership?.shards ?? electors).map(\.leadership)
        }
    }

    /// This replica's name in the Lease: `POD_NAME` (the Deployment sets it from the pod's
    /// name), else the host name and a random suffix, so two processes on one host differ.
    static func identity(environment: [String: String], hostName: String) -> String {
        if let pod = environment["POD_NAME"], !pod.isEmpty { return pod }
        return hostName + "_" + String(UInt32.random(in: .min ... .max), radix: 16)
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return (Double(seconds) + Double(attoseconds) / 1e18).formatted()
    }
}
