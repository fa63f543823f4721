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
/// while this replica leads, and stands by otherwise (`follow(_: Leadership)`).
public struct HookDaemon: Service {
    public let runtime: HookRuntime
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

    public init(
        runtime: HookRuntime, client: KubeClient, monitor: HookFolderMonitor?, labelSelector: String? = nil,
        drainTimeout: Duration = .seconds(10), checkpointInterval: Duration = .seconds(1), logger: Logger,
        whenSynced: @escaping @Sendable () -> Void = {}
    ) {
        self.checkpointInterval = checkpointInterval
        self.runtime = runtime
        self.client = client
        self.monitor = monitor
        self.labelSelector = labelSelector
        self.drainTimeout = drainTimeout
        self.logger = logger
        self.whenSynced = whenSynced
    }

    public func run() async throws {
        let metrics = runtime.environment.metrics
        let watches = PodInformer(
            client: client, cache: runtime.cache, ledger: runtime.environment.ledger, logger: logger,
            observe: { [runtime] query, report in
                if case .relisting = report { runtime.history?.relisting(watch: runtime.watchKey(query.namespace)) }
                metrics?.record(report, watch: DaemonHealth.label(query), at: Date().timeIntervalSince1970)
            },
            deliver: handOver)
        await runtime.relistingWidenedWatches { namespaces in await watches.relist(namespaces) }
        await watch(watches)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { try? await gracefulShutdown() }
                if let monitor {
                    group.addTask { await follow(monitor, watches: watches) }
                }
                if let leadership = runtime.environment.leadership {
                    // Leading may still end during the drain: calls then stop starting by themselves.
                    group.addTask { await cancelOnGracefulShutdown { await follow(leadership) } }
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
        // The elector shuts down after this daemon: its release carries this last checkpoint.
        await runtime.publishCheckpoint()
    }

    /// Hands one update to the hooks, on the task of the watch that delivers it.
    @Sendable private func handOver(_ update: InformerUpdate) {
        let timed = health.handOffStarted()
        defer { if timed { health.handOffEnded() } }
        observe(update)
        let events = runtime.dispatch(update)
        health.handedOver(events)
        if let last = events.last, runtime.history != nil, !runtime.leads.load(ordering: .relaxed) {
            logger.trace("standing by: events through resourceVersion \(last.resourceVersion) seen; a takeover replays those after the checkpoint")
        }
        if case .synced(let query) = update {
            let runtime = runtime, whenSynced = whenSynced
            Task {
                await runtime.synced(query.namespace)
                await runtime.waitUntilIdle()
                whenSynced()
            }
        }
    }

    /// Reloads on every change signal; restarts watches when the namespaces changed.
    private func follow(_ monitor: HookFolderMonitor, watches: PodInformer) async {
        for await _ in monitor.changes {
            do {
                let reload = try await runtime.reload()
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
        let runtime = runtime
        if let left = await DeadlineRace.run(within: drainTimeout, { await runtime.drain() }) {
            if left > 0 { logger.warning("\(left) event(s) waiting for a retry are left unhandled at shutdown", metadata: ["left": .stringConvertible(left)]) }
            return
        }
        let left = runtime.environment.ledger.outstanding
        logger.warning(
            "the drain timeout (\(drainTimeout)) passed with \(left) event(s) not finished; exiting without them",
            metadata: ["unfinished": .stringConvertible(left)])
    }
}
