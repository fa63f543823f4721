import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import Lua
import Prometheus
import ServiceLifecycle
import Synchronization

/// One replica of `kubelua run --leader-elect` in the test process, run as `run` runs it: the
/// elector first in a service group, then the daemon; hook state in ConfigMaps of `kubelua`.
/// Its client carries its name as bearer token, so the fake server can cut it off alone; its
/// elector sleeps on the test's virtual clock, so the test decides when leases run out. With
/// `shards` over 1, as `run --shards` runs: a member Lease, one elector and runtime per shard
/// Lease `kubelua-shard-<k>`, and the membership.
final class ElectedReplica: Sendable {
    let name: String
    let output = HookOutput()
    let log = LogMessages()
    let registry = PrometheusCollectorRegistry()
    let client: KubeClient
    /// The elector of the Lease `kubelua`, or with shards of the member Lease.
    let elector: LeaderElector
    let membership: ShardMembership?
    /// Shard 0's runtime (the only one without shards), and every shard's.
    let runtime: HookRuntime
    let runtimes: [HookRuntime]
    let daemon: HookDaemon
    let group: ServiceGroup
    /// Yields each time a watch's first list is applied and handled.
    let synced: AsyncStream<Void>
    private let running = Mutex<Task<Void, Never>?>(nil)

    init(
        _ name: String, server: FakeAPIServer, folder: HooksFolder, clock: VirtualClock, timings: LeaderElectionTimings = LeaderElectionTimings(),
        modules: @escaping @Sendable (HookFile) -> [LuaModule] = { _ in [] }, history: EventHistory.Limits = EventHistory.Limits(), shards: Int = 1
    ) async throws {
        self.name = name
        let logger = log.logger
        // At trace level the electors say until when they wait (`settle`), the daemon what it
        // saw standing by (`sawStandingBy`).
        var traced = logger
        traced.logLevel = .trace
        client = try KubeClient(
            connection: KubeConnection(server: URL(string: server.baseURL)!, credentials: StaticTokenSource(token: name), origin: "test"), logger: logger)
        let metrics = KubeluaMetrics(registry: registry)
        let electionClock = ElectionClock(now: { clock.now }, wallSeconds: { clock.wallSeconds }, sleep: { try await clock.sleep(until: $0) })
        if shards > 1 {
            let membership = ShardMembership(
                client: client, namespace: "kubelua", id: "kubelua", identity: name, shardCount: shards, timings: timings, clock: electionClock,
                random: { 0 }, logger: traced, observe: { metrics.leadershipObserver(lease: "kubelua/kubelua-shard-\($0)") })
            self.membership = membership
            elector = membership.member
        } else {
            membership = nil
            elector = LeaderElector(
                client: client, namespace: "kubelua", name: "kubelua", identity: name, timings: timings, clock: electionClock,
                random: { 0 }, logger: traced, observe: metrics.leadershipObserver(lease: "kubelua/kubelua"))
        }
        let cache = PodCache(), ledger = BacklogLedger(bound: nil)
        var runtimes: [HookRuntime] = []
        for (index, leadership) in (membership?.shards.map(\.leadership) ?? [elector.leadership]).enumerated() {
            let kube = KubeHelper(
                cache: cache, backend: LiveKubeBackend(client: client, leadership: leadership, logger: logger), events: KubeEventRecorder(),
                leadership: leadership)
            var environment = output.environment(modules: { file in modules(file) + [.kube(kube, for: file)] }, ledger: ledger)
            environment.leadership = leadership
            environment.metrics = metrics
            environment.stateBackend = { [client] in ConfigMapStateBackend(client: client, namespace: "kubelua", hook: $0) }
            environment.shard = shards > 1 ? PodShard(index, of: shards) : nil
            let runtime = HookRuntime(root: folder.root, environment: environment, cache: cache, startsOnSync: true, history: history)
            try await runtime.loadAll()
            runtimes.append(runtime)
        }
        self.runtimes = runtimes
        runtime = runtimes[0]
        let (synced, signal) = AsyncStream.makeStream(of: Void.self)
        self.synced = synced
        // Checkpoints are taken when a test says (`checkpoint`), besides the one at takeover and at shutdown.
        // At trace level the daemon says what it saw while standing by (`sawStandingBy`).
        daemon = HookDaemon(
            runtime: runtime, shards: Array(runtimes.dropFirst()), client: client, monitor: nil, drainTimeout: .seconds(30),
            checkpointInterval: .seconds(86_400), logger: traced, whenSynced: { signal.yield() })
        // As `run` orders them: the membership shuts down first, the electors last.
        let services: [any Service] = [elector] + (membership?.shards ?? []) + [daemon] + (membership.map { [$0] } ?? [])
        group = ServiceGroup(configuration: .init(services: services, logger: logger))
    }

    /// Runs the replica until `stop` or `kill`; returns once its watch has synced.
    func start() async {
        let group = group
        running.withLock { $0 = Task { try? await group.run() } }
        for await _ in synced { break }
    }

    /// SIGTERM: the hooks drain, then the lease is released.
    func stop() async {
        await group.triggerGracefulShutdown()
        await running.withLock { $0 }?.value
    }

    /// As near SIGKILL as one process allows: everything is cancelled, nothing is released.
    func kill() async {
        let task = running.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Takes a checkpoint of what the hooks have handled so far, and returns it once the
    /// elector's next renewal (the clock moved one retry period) has stored it on the Lease.
    func checkpoint(server: FakeAPIServer, clock: VirtualClock, retryPeriod: Duration = .seconds(2)) async -> LeaseCheckpoint? {
        await runtime.waitUntilIdle()
        guard let checkpoint = await runtime.publishCheckpoint() else { return nil }
        clock.advance(by: retryPeriod)
        _ = await server.waitForLeaseAnnotationChange { $0.annotations[LeaseCheckpoint.annotation] == checkpoint.annotationValue }
        return checkpoint
    }

    /// Waits until this replica, standing by, has been handed the change that made `pod`
    /// (and so every change of its watch before it): a takeover from then on replays it.
    /// Consumes `log` up to there.
    func sawStandingBy(_ pod: FakePod) async -> Bool {
        await log.wait(for: "standing by: events through resourceVersion \(pod.resourceVersion) seen")
    }

    /// Waits until every elector of this replica (and its membership) waits for an instant
    /// after the clock's: nothing is in flight, so moving the clock starts their next rounds and
    /// nothing else. Each says so at trace level after each step (`waiting until N`, or
    /// `waiting for an answer`, with its lease); `willingness changed` stands until its next.
    func settle(_ clock: VirtualClock) async {
        let expected = 1 + (membership.map { $0.shards.count + 1 } ?? 0), now = clock.now
        _ = await log.wait { lines in
            var last: [Substring: UInt64] = [:]
            for line in lines where line.hasPrefix("waiting ") || line.hasPrefix("willingness changed ") {
                if line.hasPrefix("willingness changed ") {
                    last[line.dropFirst("willingness changed".count)] = 0
                    continue
                }
                if line.hasPrefix("waiting for an answer ") {
                    last[line.dropFirst("waiting for an answer".count)] = 0
                    continue
                }
                let rest = line.dropFirst("waiting until ".count)
                guard let space = rest.firstIndex(of: " "), let instant = UInt64(rest[..<space]) else { continue }
                last[rest[space...]] = instant
            }
            return last.count == expected && last.values.allSatisfy { $0 > now }
        }
    }

    /// `/metrics` as the registry renders it.
    var metrics: String { String(decoding: registry.emitToBuffer(), as: UTF8.self) }
}
