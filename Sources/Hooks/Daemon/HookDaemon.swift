import Foundation
import Kube
import Lua
import Logging
import ServiceLifecycle

/// `kubelua run`: watches the pods the hooks folder asks for, feeds every change to the hooks,
/// reloads hooks (and changes watches) when the folder changes, and on graceful shutdown stops
/// watching and lets in-flight handlers finish, up to `drainTimeout`. Each watch hands its
/// updates to the hooks itself (`HookRuntime.dispatch` never waits for a hook). The watches stop
/// reading while the hooks' backlog is at the bound of the runtime's ledger. With a
/// `leadership` in the runtime's environment (`run --leader-elect`), it runs the hooks only
/// while this replica leads, and stands by otherwise (`follow(_: Leadership)`). With shards
/// (`--shards N`), it runs one runtime per shard over the one cache and ledger, each following
/// its shard's leadership, and hands each the events of its shard's pods.
public struct HookDaemon: Service {
    /// One runtime per shard, in shard order (one alone without shards).
    public let runtimes: [HookRuntime]
    public let client: KubeClient
    public let monitor: HookFolderMonitor?
    public let labelSelector: String?
    public let drainTimeout: Duration
    /// How often a leader takes a checkpoint (its elector writes the latest with each renewal).
    public let checkpointInterval: Duration
    let logger: Logger
    /// Watches synced and the hand-off's progress, for `/readyz` and `/healthz`.
    public let health = DaemonHealth()
    /// Runs each time a watch's first list has been applied and the hooks have handled its
    /// adds: the end of a burst (`kubelua run` gives the allocator's free memory back then).
    let whenSynced: @Sendable () -> Void

    /// `shards`: the runtimes of shards 1 to N-1 (`runtime` is shard 0's), sharing its cache and ledger.
    public init(
        runtime: HookRuntime, shards: [HookRuntime] = [], client: KubeClient, monitor: HookFolderMonitor?, labelSelector: String? = nil,
        drainTimeout: Duration = .seconds(10), checkpointInterval: Duration = .seconds(1), logger: Logger,
        whenSynced: @escaping @Sendable () -> Void = {}
    ) {
        self.checkpointInterval = checkpointInterval
        let runtimes = [runtime] + shards
        precondition(runtimes.indices.allSatisfy { runtimes[$0].environment.shard == (shards.isEmpty ? nil : PodShard($0, of: runtimes.count)) })
        self.runtimes = runtimes
        self.client = client
        self.monitor = monitor
        self.labelSelector = labelSelector
        self.drainTimeout = drainTimeout
        self.logger = logger
        self.whenSynced = whenSynced
    }

    /// The runtime of shard 0 (the only one without shards): the cache, the layout and the ledger are the same in all.
    public var runtime: HookRuntime { runtimes[0] }

    public func run() async throws {
        let metrics = runtime.environment.metrics, runtimes = runtimes
        let watches = PodInformer(
            client: client, cache: runtime.cache, ledger: runtime.environment.ledger, logger: logger,
            observe: { query, report in
                if case .relisting = report {
                    for runtime in runtimes { runtime.history?.relisting(watch: runtime.watchKey(query.namespace)) }
                }
                metrics?.record(report, watch: DaemonHealth.label(query), at: Date().timeIntervalSince1970)
            },
            deliver: handOver)
        for runtime in runtimes { await runtime.relistingWidenedWatches { namespaces in await watches.relist(namespaces) } }
        await watch(watches)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { try? await gracefulShutdown() }
                if let monitor {
                    group.addTask { await follow(monitor, watches: watches) }
                }
                for runtime in runtimes {
                    guard let leadership = runtime.environment.leadership else { continue }
                    // Leading may still end during the drain: calls then stop starting by themselves.
                    group.addTask { await cancelOnGracefulShutdown { await follow(leadership, runtime: runtime) } }
                }
            }
        } onGracefulShutdown: {
            monitor?.stop()
            // A reload waiting for a relist (the server unreachable) ends when its watch stops.
            Task { await watches.stop() }
        }
        logger.info("shutting down: stopping watches, finishing in-flight handlers")
        await watches.stop()
        await drain()
        // The electors shut down after this daemon: their release carries this last checkpoint.
        for runtime in runtimes { await runtime.publishCheckpoint() }
    }

    /// Hands one update to the hooks, on the task of the watch that delivers it.
    @Sendable private func handOver(_ update: InformerUpdate) {
        let timed = health.handOffStarted()
        defer { if timed { health.handOffEnded() } }
        observe(update)
        guard case .events(let events) = update else {
            if case .synced(let query) = update {
                let runtimes = runtimes, whenSynced = whenSynced
                Task {
                    for runtime in runtimes { await runtime.synced(query.namespace) }
                    for runtime in runtimes { await runtime.waitUntilIdle() }
                    whenSynced()
                }
            }
            return
        }
        for (runtime, part) in zip(runtimes, partition(events)) {
            runtime.dispatch(part)
            if let last = part.last, runtime.history != nil, !runtime.isLeading {
                logger.trace(
                    "standing by: events through resourceVersion \(last.resourceVersion) seen; a takeover replays those after the checkpoint",
                    metadata: runtime.environment.leadership.map { ["lease": "\($0.lease)"] })
            }
        }
        health.handedOver(events)
    }

    /// The events of each shard, in order (all of them without shards): each event's shard is
    /// hashed once.
    private func partition(_ events: [PodEvent]) -> [[PodEvent]] {
        guard runtimes.count > 1 else { return [events] }
        var parts = Array(repeating: [PodEvent](), count: runtimes.count)
        for event in events { parts[PodShard.index(of: event.pod.key, count: runtimes.count)].append(event) }
        return parts
    }

    /// Reloads on every change signal; restarts watches when the namespaces changed.
    private func follow(_ monitor: HookFolderMonitor, watches: PodInformer) async {
        for await _ in monitor.changes {
            do {
                // Every shard's runtime loads the same files: shard 0's says what changed.
                let reload = try await runtime.reload()
                for shard in runtimes.dropFirst() { try await shard.reload() }
                for name in reload.loaded { logger.info("hook loaded", metadata: ["hook": "\(name)"]) }
                for name in reload.removed { logger.info("hook removed", metadata: ["hook": "\(name)"]) }
                if reload.watchesChanged { await watch(watches) }
            } catch {
                logger.error("cannot rescan the hooks folder", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Closes debounce windows and waits for queued and in-flight handlers, at most
    /// `drainTimeout`; then returns whatever they are doing (a handler waiting on http is
    /// abandoned, and its request cancelled when the command shuts its client down). Events
    /// waiting for a retry are not waited for: they are logged and left.
    private func drain() async {
        // Waiting for idleness cannot be cancelled (a handler may be waiting on http), so the
        // race leaves that wait behind when the timeout wins.
        let runtimes = runtimes
        let drained = await DeadlineRace.run(within: drainTimeout) {
            var left = 0
            for runtime in runtimes { left += await runtime.drain() }
            return left
        }
        if let left = drained {
            if left > 0 { logger.warning("\(left) event(s) waiting for a retry are left unhandled at shutdown", metadata: ["left": .stringConvertible(left)]) }
            return
        }
        let left = runtime.environment.ledger.outstanding
        logger.warning(
            "the drain timeout (\(drainTimeout)) passed with \(left) event(s) not finished; exiting without them",
            metadata: ["unfinished": .stringConvertible(left)])
    }
}
