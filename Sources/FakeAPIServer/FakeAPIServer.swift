import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A fake Kubernetes API server for pods, on real HTTP(S) over loopback: list and watch with
/// resource versions, selectors, paging, bookmarks and compaction; create, update, patch
/// (merge, JSON, strategic) and delete, with `dryRun`; eviction with disruption budgets;
/// get/list/create/update/patch/delete of other kinds (Jobs, ReplicaSets, Events in both
/// groups, ConfigMaps, Leases with a log of their holders, Nodes, ...) from one generic store;
/// discovery from a catalog tests can change; an RBAC-like allow-list; and injectable faults.
/// Used by the informer's tests, `kubelua demo` and the benchmark.
///
/// Drive scenarios over HTTP or in-process with the pod methods (`create`, `update`, `patch`,
/// `delete`, `setPhase`, ...), which change the same store and emit the same watch events,
/// and `createObject`/`object`/`objects` for other kinds.
///
/// Where it differs from a real API server:
/// - JSON only. No aggregated discovery, no OpenAPI (so `kubectl create` needs
///   `--validate=false`), no Table output (kubectl falls back to NAME and AGE columns).
/// - Lists with `resourceVersion` "", "0" or `NotOlderThan` read the current state; `Exact`
///   and continue tokens read a snapshot rebuilt from history, 410 once compacted. "0" still
///   honours `limit`. A version ahead of the store is 504 at once (the real one waits ~3 s).
/// - Watches: pods only; no `sendInitialEvents`; bookmarks at a fixed interval, or when a
///   test calls `sendBookmarks()`; no default timeout unless configured; no flow control (a
///   slow reader makes the server buffer).
/// - Other kinds: lists ignore `limit` and read the current state; field selectors accept any
///   dotted path; no deletecollection, no subresources but `status`.
/// - Writes: no admission or validation beyond the name and kind; a created pod keeps its
///   status (no kubelet; phase defaults to Pending); deletion is immediate (no grace period,
///   finalizers or deletionTimestamp; `gracePeriodSeconds` is recorded, not applied); owners'
///   dependents (pods only) are deleted or orphaned at once, not by a garbage collector;
///   strategic merge patch knows list merge keys by field name; apply patch is 415; name,
///   namespace, uid and creationTimestamp are silently kept on update.
/// - Auth: one bearer token for every path; client certificates are verified, not mapped to
///   users; the allow-list (`AccessPolicy`) is for one user.
public final class FakeAPIServer: Sendable {
    public let configuration: Configuration
    let core: ServerCore
    private let running = Locked<Running?>(nil)

    private struct Running {
        var group: MultiThreadedEventLoopGroup
        var channel: any Channel
        var port: Int
    }

    /// - Parameter logger: requests are logged at debug level; the default logs nothing.
    public init(configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "kubelua.fake-apiserver", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.configuration = configuration
        core = ServerCore(configuration: configuration, logger: logger)
    }

    /// The bound port (0 before `start()`).
    public var port: Int { running.withLock { $0?.port ?? 0 } }

    /// `http://127.0.0.1:PORT` (https with TLS).
    public var baseURL: String {
        "\(configuration.tls == nil ? "http" : "https")://\(configuration.host):\(port)"
    }

    /// Binds and starts serving. Does nothing if already started.
    public func start() async throws {
        guard port == 0 else { return }
        let sslContext = try configuration.tls?.makeContext()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        let core = self.core
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    core.channels.add(channel)
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(NIOSSLServerHandler(context: sslContext), name: "tls")
                    }
                    try pipeline.configureHTTPServerPipeline()
                    try pipeline.addHandler(APIChannelHandler(core: core))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            let port = channel.localAddress?.port ?? 0
            running.withLock { $0 = Running(group: group, channel: channel, port: port) }
            core.logger.info("fake API server listening", metadata: ["url": "\(baseURL)"])
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Returns once every event loop has finished what it was doing: a request already logged
    /// has then been answered, or its watch registered (unless a `delay` fault holds it).
    func settleEventLoops() async {
        guard let group = running.withLock({ $0?.group }) else { return }
        for loop in group.makeIterator() {
            try? await loop.submit {}.get()
        }
    }

    /// Stops listening, closes every connection (hung watches included), ends request streams.
    public func shutdown() async throws {
        guard let running = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        try? await running.channel.close()
        await core.channels.closeAll()
        core.log.finish()
        core.objects.leaseHolders.changes.finish()
        core.objects.leaseHolders.annotationChanges.finish()
        try await running.group.shutdownGracefully()
        core.logger.info("fake API server stopped")
    }
}
