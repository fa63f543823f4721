import Foundation
import Hooks
import Kube
import Logging
import ProcessTuning

/// kubelua's pipeline as `kubelua run` assembles it, against the server child: a PodInformer
/// (one watch of all namespaces: list in pages of 500, then watch) into the runtime's cache,
/// under a backlog ledger bound as `--max-backlog` sets it, the watch handing each update to
/// `HookRuntime.dispatch` itself, as in HookDaemon (which releases it from the backlog once
/// dispatched); here the hand-off also notes when the first list is applied.
final class PipelineSession {
    struct Sync {
        /// From starting the reflector to the first list applied (its `.synced` handed over).
        var seconds = 0.0
        /// Until the initial adds are also dispatched and handled by every hook.
        var handledSeconds = 0.0
    }

    struct Stream {
        var events = 0
        var wallSeconds = 0.0
        /// This process's CPU (all threads, user + system) over the same interval.
        var cpuSeconds = 0.0
        /// Handler calls completed, and failed, during the stream.
        var calls = 0
        var failedCalls = 0
        /// Events merged into another by debounce, finished without a call of their own.
        var merged = 0
    }

    /// `kubelua run`'s default `--max-backlog`.
    static let defaultBacklog = 10_000

    let runtime: HookRuntime
    let statistics: HookStatistics
    /// The backlog bound the watch obeys.
    let ledger: BacklogLedger
    private let client: KubeClient
    private let informer: PodInformer
    let sync: Sync

    /// Loads the hooks in `hooks`, starts the informer and returns once the initial list is
    /// applied and its adds handled.
    /// - Parameters:
    ///   - backlog: `--max-backlog` (events delivered and handler calls queued before the watch
    ///     stops reading).
    ///   - stripManagedFields: `--strip-managed-fields` (the cache keeps pods without them).
    init(
        server: ServerProcess, hooks: URL, probe: BenchProbe, backlog: Int = PipelineSession.defaultBacklog,
        stripManagedFields: Bool = false, logger: Logger
    ) async throws {
        let statistics = HookStatistics()
        self.statistics = statistics
        let ledger = BacklogLedger(bound: backlog)
        self.ledger = ledger
        runtime = HookRuntime(
            root: hooks.path,
            environment: HookEnvironment(
                log: { _ in }, failures: { logger.error("hook failed: \($0.report)") }, statistics: statistics,
                ledger: ledger, modules: { _ in [probe.module] }),
            cache: PodCache(stripManagedFields: stripManagedFields), startsOnSync: true)
        let failures = try await runtime.loadAll()
        if let failure = failures.first { throw BenchFailure("a benchmark hook failed to load: \(failure)") }
        client = try KubeClient(
            connection: KubeConnection(server: server.baseURL, namespace: "default", origin: "kubelua-bench"), logger: logger)

        // When the first list is applied; nil if it is not within a minute (the child died).
        let (synced, syncedSignal) = AsyncStream.makeStream(of: ContinuousClock.Instant?.self)
        let runtime = runtime
        let start = ContinuousClock.now
        informer = PodInformer(client: client, cache: runtime.cache, ledger: ledger, logger: logger) { update in
            runtime.dispatch(update)
            if update.isSynced { syncedSignal.yield(.now) }
        }
        await informer.watch([PodQuery()])
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            syncedSignal.yield(nil)
        }
        var syncedAt: ContinuousClock.Instant?
        for await instant in synced { syncedAt = instant; break }
        watchdog.cancel()
        guard let syncedAt else {
            await informer.stop()
            try await client.shutdown()
            throw BenchFailure("kubelua did not sync with the server child within 60 s")
        }
        // As HookDaemon does: the hooks get their world (the list's pods as initial adds) and start.
        await runtime.synced(nil)
        // The initial adds: one handler call per cached pod and hook.
        await statistics.waitUntilCompleted(runtime.cache.count() * runtime.loadedHooks.count)
        // What `kubelua run` does at this point (HookDaemon's `whenSynced`).
        AllocatorTuning.releaseFreeMemory()
        sync = Sync(seconds: Self.seconds(start.duration(to: syncedAt)), handledSeconds: Self.seconds(start.duration(to: .now)))
    }

    /// Streams `events` touches from the server in batches, keeping the server at most
    /// `window` batches ahead of the hooks (handler calls completed: dispatch no longer waits
    /// for them) so that no queue grows without bound; returns once every hook has handled the
    /// last one.
    func stream(_ events: Int, from server: ServerProcess, batch: Int = 1_000, window: Int = 2) async throws -> Stream {
        let before = statistics.snapshot, finishedBefore = statistics.completed
        let hooks = await runtime.loadedHooks.count
        let cpu = ProcessUsage.cpuSeconds()
        let start = ContinuousClock.now
        var sentAfter: [Int] = []
        var sent = 0
        while sent < events {
            let count = min(batch, events - sent)
            _ = try await server.touch(count)
            sent += count
            sentAfter.append(sent)
            if sentAfter.count > window {
                await statistics.waitUntilCompleted(finishedBefore + sentAfter[sentAfter.count - 1 - window] * hooks)
            }
        }
        await statistics.waitUntilCompleted(finishedBefore + events * hooks)
        let after = statistics.snapshot
        let expected = events * hooks
        guard statistics.completed - finishedBefore == expected else {
            throw BenchFailure("\(statistics.completed - finishedBefore) events finished for \(expected) expected")
        }
        return Stream(
            events: events, wallSeconds: Self.seconds(start.duration(to: .now)), cpuSeconds: ProcessUsage.cpuSeconds() - cpu,
            calls: after.succeeded - before.succeeded, failedCalls: after.failed - before.failed, merged: after.merged - before.merged)
    }

    func stop() async throws {
        await informer.stop()
        try await client.shutdown()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
