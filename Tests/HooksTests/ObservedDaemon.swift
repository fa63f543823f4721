import AsyncHTTPClient
import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import Lua
import Prometheus
import PrometheusText
import ServiceLifecycle
import Synchronization

/// A daemon on the fake API server with kubelua's metrics kept, and the observability listener
/// on 127.0.0.1 port 0, each in its own service group so a test can start the listener first.
/// Its clock for `/healthz` can be moved forward instead of waiting. With `followsFolder`, the
/// daemon reloads (and changes its watches) when the hooks folder changes. Its cache strips
/// managedFields, as `kubelua run`'s does by default.
final class ObservedDaemon: Sendable {
    let server = FakeAPIServer()
    let output = HookOutput()
    let registry = PrometheusCollectorRegistry()
    let folder: HooksFolder
    let runtime: HookRuntime
    let daemon: HookDaemon
    let client: KubeClient
    let daemonGroup: ServiceGroup
    let listenerGroup: ServiceGroup
    /// Yields once the first lists are applied and their adds handled.
    let synced: AsyncStream<Void>
    private let ports: AsyncStream<Int>
    private let clock = ShiftedClock()

    init(
        hooks: [String: String], pods: [String] = [], modules: @escaping @Sendable (HookFile) -> [LuaModule] = { _ in [] },
        sandbox: LuaSandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(30))), threads: LuaThreadPool = .shared, seriesLimit: Int = HookMetrics.defaultSeriesLimit,
        httpRequests: HTTPRequestStatistics? = nil, kubeRequests: KubeCallStatistics? = nil, followsFolder: Bool = false,
        hookClock: any HookClock = SystemHookClock(), startsOnSync: Bool = false, cache: PodCache = PodCache(stripManagedFields: true)
    ) async throws {
        try await server.start()
        for name in pods { try server.createPod(name: name) }
        folder = try HooksFolder(hooks)
        let metrics = KubeluaMetrics(registry: registry, version: "test")
        var environment = output.environment(sandbox: sandbox, modules: modules, threads: threads, clock: hookClock)
        environment.metrics = metrics
        environment.hookMetrics = HookMetrics(registry: registry, seriesLimit: seriesLimit)
        runtime = HookRuntime(root: folder.root, environment: environment, cache: cache, startsOnSync: startsOnSync)
        try await runtime.loadAll()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let (synced, signal) = AsyncStream.makeStream(of: Void.self)
        self.synced = synced
        let monitor = followsFolder ? HookFolderMonitor(root: folder.root, pollInterval: .seconds(3600), settle: .milliseconds(1)) : nil
        daemon = HookDaemon(runtime: runtime, client: client, monitor: monitor, logger: logger, whenSynced: { signal.yield() })
        daemonGroup = ServiceGroup(configuration: .init(services: [daemon], logger: logger))
        let (ports, portSignal) = AsyncStream.makeStream(of: Int.self)
        self.ports = ports
        let clock = clock
        let endpoints = ObservabilityEndpoints(
            daemon: daemon, metrics: metrics, kubeRequests: kubeRequests, httpRequests: httpRequests, wedgeMargin: .seconds(60), now: { clock.now() })
        let listener = ObservabilityServer(host: "127.0.0.1", port: 0, logger: logger, listening: { portSignal.yield($0) }) {
            await endpoints.respond(to: $0)
        }
        listenerGroup = ServiceGroup(configuration: .init(services: [listener], logger: logger))
    }

    /// The listener's port, once it listens.
    func port() async -> Int {
        for await port in ports { return port }
        return 0
    }

    /// Makes `/healthz` judge as if `seconds` more had passed.
    func advanceClock(seconds: UInt64) {
        clock.offset.add(seconds * 1_000_000_000, ordering: .relaxed)
    }

    func get(_ path: String, port: Int) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// `/metrics`, parsed.
    func scrape(port: Int) async throws -> PrometheusText {
        let (status, body) = try await get("/metrics", port: port)
        guard status == 200 else { throw PrometheusText.ParseError(description: "/metrics answered \(status): \(body)") }
        return try PrometheusText(parsing: body)
    }

    /// Runs the daemon and the listener, and once the first lists are applied and handled, hands
    /// `body` what `/metrics` says; then stops both.
    func scrapeAfterSync(_ body: (PrometheusText) async throws -> Void) async throws {
        try await runAfterSync { port in try await body(try await scrape(port: port)) }
    }

    /// Runs the daemon and the listener, and once the first lists are applied and handled, runs
    /// `body` with the listener's port; then stops both.
    func runAfterSync(_ body: (Int) async throws -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await self.listenerGroup.run() }
            tasks.addTask { try await self.daemonGroup.run() }
            let port = await port()
            for await _ in synced { break }
            try await body(port)
            try await stop()
        }
    }

    func stop() async throws {
        await daemonGroup.triggerGracefulShutdown()
        await listenerGroup.triggerGracefulShutdown()
    }

    func shutdown() async throws {
        try await client.shutdown()
        try await server.shutdown()
    }
}

/// `DispatchTime` nanoseconds, plus however far a test moved it.
final class ShiftedClock: Sendable {
    let offset = Atomic<UInt64>(0)

    func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds + offset.load(ordering: .relaxed) }
}
