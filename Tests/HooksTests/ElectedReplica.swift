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
/// elector sleeps on the test's virtual clock, so the test decides when leases run out.
final class ElectedReplica: Sendable {
    let name: String
    let output = HookOutput()
    let log = LogMessages()
    let registry = PrometheusCollectorRegistry()
    let client: KubeClient
    let elector: LeaderElector
    let runtime: HookRuntime
    let daemon: HookDaemon
    let group: ServiceGroup
    /// Yields each time a watch's first list is applied and handled.
    let synced: AsyncStream<Void>
    private let running = Mutex<Task<Void, Never>?>(nil)

    init(
        _ name: String, server: FakeAPIServer, folder: HooksFolder, clock: VirtualClock, timings: LeaderElectionTimings = LeaderElectionTimings(),
        modules: @escaping @Sendable (HookFile) -> [LuaModule] = { _ in [] }, history: EventHistory.Limits = EventHistory.Limits()
    ) async throws {
        self.name = name
        let logger = log.logger
        client = try KubeClient(
            connection: KubeConnection(server: URL(string: server.baseURL)!, credentials: StaticTokenSource(token: name), origin: "test"), logger: logger)
        let metrics = KubeluaMetrics(registry: registry)
        elector = LeaderElector(
            client: client, namespace: "kubelua", name: "kubelua", identity: name, timings: timings,
            clock: ElectionClock(now: { clock.now }, wallSeconds: { clock.wallSeconds }, sleep: { try await clock.sleep(until: $0) }),
            random: { 0 }, logger: logger, observe: metrics.leadershipObserver(lease: "kubelua/kubelua"))
        let cache = PodCache()
        let kube = KubeHelper(
            cache: cache, backend: LiveKubeBackend(client: client, leadership: elector.leadership, logger: logger), events: KubeEventRecorder(),
            leadership: elector.leadership)
        var environment = output.environment(modules: { file in modules(file) + [.kube(kube, for: file)] })
        environment.leadership = elector.leadership
        environment.metrics = metrics
        environment.stateBackend = { [client] in ConfigMapStateBackend(client: client, namespace: "kubelua", hook: $0) }
        runtime = HookRuntime(root: folder.root, environment: environment, cache: cache, startsOnSync: true, history: history)
        try await runtime.loadAll()
        let (synced, signal) = AsyncStream.makeStream(of: Void.self)
        self.synced = synced
        // Checkpoints are taken when a test says (`checkpoint`), besides the one at takeover and at shutdown.
        // At trace level the daemon says what it saw while standing by (`sawStandingBy`).
        var daemonLogger = logger
        daemonLogger.logLevel = .trace
        daemon = HookDaemon(
            runtime: runtime, client: client, monitor: nil, drainTimeout: .seconds(30), checkpointInterval: .seconds(86_400), logger: daemonLogger,
            whenSynced: { signal.yield() })
        group = ServiceGroup(configuration: .init(services: [elector, daemon], logger: logger))
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

    /// `/metrics` as the registry renders it.
    var metrics: String { String(decoding: registry.emitToBuffer(), as: UTF8.self) }
}
