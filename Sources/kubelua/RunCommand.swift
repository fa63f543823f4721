import ArgumentParser
import Foundation
import Hooks
import Kube
import Logging
import Prometheus
import ProcessTuning
import ServiceLifecycle

/// `kubelua run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the hooks on every pod event until stopped (SIGTERM or Ctrl-C).",
        discussion: """
            Each hooks/<namespace>/ folder adds a watch of that namespace; hooks/_all/ watches all \
            namespaces. Hooks reload when their files change; a version that fails to load is \
            reported and the previous one keeps running. On SIGTERM or SIGINT kubelua stops \
            watching, lets in-flight handlers finish (up to --drain-timeout; handlers still running \
            then are abandoned, with a warning saying how many) and exits 0. With --leader-elect, \
            several replicas share a Lease: only its holder runs the hooks, the others stand by warm, \
            and the holder releases the Lease once it has drained, so a standby takes over at once.
            """
    )

    @OptionGroup var hooks: HooksOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LogOptions
    @OptionGroup var http: HTTPOptions
    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var backlog: BacklogOptions
    @OptionGroup var metricsOptions: MetricsOptions
    @OptionGroup var leaderElection: LeaderElectionOptions

    @Option(name: [.customShort("l"), .customLong("selector")], help: "Only pods with these labels, e.g. app=web.")
    var labelSelector: String?

    @Option(name: .customLong("pass-env"), help: "An environment variable hooks may read with os.getenv (repeatable).")
    var passEnvironment: [String] = []

    @Flag(help: "Send every write hooks make with kube (create, patch, delete, evict, event) as a dry run: the API server validates it and changes nothing; it is logged as a would-be action.")
    var dryRun = false

    @Option(help: "API calls per second hooks may make through kube, all hooks together (bursts up to --kube-burst).")
    var kubeQPS = 5.0

    @Option(help: "API calls hooks may make at once after a quiet spell.")
    var kubeBurst = 10

    @Option(help: ArgumentHelp(
        "The namespace of the ConfigMaps that keep each hook's state (state.*, and the phases on_phase last delivered), so a restart picks up where it stopped (default: the pod's own namespace in a cluster, else the kubeconfig context's).",
        valueName: "namespace"))
    var stateNamespace: String?

    @Option(help: ArgumentHelp(
        "Keep the hooks' state in files in this folder instead of ConfigMaps (local runs).",
        valueName: "dir"))
    var stateDir: String?

    @Option(help: "Seconds to let in-flight handlers finish on shutdown.")
    var drainTimeout = 10.0

    /// Not options of `run`: accepted only to say where namespaces come from instead.
    @Option(name: .shortAndLong, help: .hidden)
    var namespace: [String] = []
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: .hidden)
    var allNamespaces = false

    func validate() throws {
        if kubeQPS <= 0 || kubeBurst <= 0 { throw ValidationError("--kube-qps and --kube-burst must be positive") }
        var isFolder: ObjCBool = false
        if let stateDir, !FileManager.default.fileExists(atPath: stateDir, isDirectory: &isFolder) || !isFolder.boolValue {
            throw ValidationError("--state-dir: \(stateDir) is not a folder (create it first)")
        }
        if !namespace.isEmpty || allNamespaces {
            throw ValidationError("""
                run takes its namespaces from the hooks folder, not from -n/-A: each \(hooks.directory)/<namespace>/ \
                folder is watched (e.g. \(hooks.directory)/\(namespace.first ?? "default")/NAME.lua), and \(hooks.directory)/_all/ watches all namespaces
                """)
        }
    }

    func run() async throws {
        AllocatorTuning.apply()
        let logger = logging.bootstrap(level: connection.logLevel)
        let cluster = try connection.connect(namespace: nil, logger: logger)
        let client = try KubeClient(connection: cluster, logger: logger)
        try await withCleanup({ try await client.shutdown() }) {
            let (helper, httpClient) = try http.helper(disabledWithoutAllowList: false)
            try await withCleanup({ try await httpClient?.shutdown() }) {
                try await run(
                    client: client, helper: helper, stateNamespace: stateNamespace ?? cluster.namespace,
                    leaseNamespace: cluster.namespace, logger: logger)
            }
        }
    }

    /// With `--leader-elect`, the elector runs first in the service group, so it is shut down
    /// last: it releases the lease after the hooks have drained.
    private func run(client: KubeClient, helper: HTTPHelper, stateNamespace: String, leaseNamespace: String, logger: Logger) async throws {
        let cache = cacheOptions.cache()
        let kubeRequests = KubeCallStatistics(), httpRequests = HTTPRequestStatistics()
        let registry = metricsOptions.registry()
        let metrics = registry.map { KubeluaMetrics(registry: $0, version: Kubelua.version) }
        let election = leaderElection.election(client: client, namespace: leaseNamespace, metrics: metrics, logger: logger)
        let runtimes = runtimes(
            leaderships: election?.leaderships, client: client, cache: cache, helper: helper, stateNamespace: stateNamespace,
            kubeRequests: kubeRequests, httpRequests: httpRequests, metrics: metrics, registry: registry, logger: logger)
        let runtime = runtimes[0]
        let failures = try await runtime.loadAll()
        for shard in runtimes.dropFirst() { try await shard.loadAll() }
        let loaded = await runtime.loadedHooks
        logger.info("hooks loaded", metadata: ["hooks": "\(loaded.joined(separator: ", "))", "failed": .stringConvertible(failures.count)])
        for warning in await runtime.layout?.warnings ?? [] { logger.warning("\(warning)") }
        let daemon = HookDaemon(
            runtime: runtime, shards: Array(runtimes.dropFirst()), client: client, monitor: HookFolderMonitor(root: hooks.directory), labelSelector: labelSelector,
            drainTimeout: .milliseconds(Int(drainTimeout * 1000)), checkpointInterval: leaderElection.timings.retryPeriod, logger: logger,
            whenSynced: AllocatorTuning.releaseFreeMemory)
        let server = metricsOptions.server(for: daemon, metrics: metrics, kubeRequests: kubeRequests, httpRequests: httpRequests, logger: logger)
        // The membership shuts down first (no shard moves during the drain), the electors last.
        let services: [any Service] = (election?.electors ?? []) as [any Service] + [daemon] + (election?.membership.map { [$0] } ?? [])
            + (server.map { [$0] } ?? [])
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// One runtime per shard (one alone without shards), over one cache and one ledger; each
    /// shard's `kube` writes are fenced by its own leadership.
    private func runtimes(
        leaderships: [Leadership]?, client: KubeClient, cache: PodCache, helper: HTTPHelper, stateNamespace: String,
        kubeRequests: KubeCallStatistics, httpRequests: HTTPRequestStatistics, metrics: KubeluaMetrics?, registry: PrometheusCollectorRegistry?,
        logger: Logger
    ) -> [HookRuntime] {
        let hookLogger = Logger(label: "hook")
        let rateLimit = TokenBucket(qps: kubeQPS, burst: kubeBurst), events = KubeEventRecorder(), ledger = backlog.ledger()
        let hookMetrics = HookMetrics(registry: registry ?? PrometheusCollectorRegistry(), seriesLimit: metricsOptions.hookMetricsSeries)
        let sandbox = hooks.sandbox(passing: passEnvironment)
        return (leaderships?.map(Optional.some) ?? [nil]).enumerated().map { index, leadership in
            let backend = LiveKubeBackend(
                client: client, rateLimit: rateLimit, dryRun: dryRun, statistics: kubeRequests, leadership: leadership, logger: logger)
            let kube = KubeHelper(
                cache: cache, backend: backend, events: events, clusterReads: Set(hooks.clusterReads), statistics: kubeRequests,
                leadership: leadership, reportRefusal: { refusal in logger.warning("kube call refused", metadata: ["refusal": "\(refusal.message)"]) })
            var environment = HookEnvironment(
                sandbox: sandbox, log: { $0.log(to: hookLogger) }, failures: { $0.log(to: logger) }, ledger: ledger,
                stateBackend: { [stateDir] hook -> any HookStateBackend in
                    guard let stateDir else { return ConfigMapStateBackend(client: client, namespace: stateNamespace, hook: hook) }
                    return FileStateBackend(directory: stateDir, hook: hook)
                },
                modules: { file in [.http(helper, hook: file.name, requests: httpRequests), .kube(kube, for: file)] }, metrics: metrics,
                hookMetrics: hookMetrics, dryRun: dryRun, leadership: leadership)
            environment.shard = leaderElection.shards > 1 ? PodShard(index, of: leaderElection.shards) : nil
            return HookRuntime(root: hooks.directory, environment: environment, cache: cache, startsOnSync: true, history: leaderElection.historyLimits)
        }
    }
}
