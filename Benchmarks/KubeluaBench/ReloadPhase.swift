import Foundation
import Hooks
import Kube
import ServiceLifecycle

/// Reload time on kubelua's real daemon path: HookDaemon with a HookFolderMonitor (as
/// `kubelua run` sets them up), events flowing at a steady rate. Each round writes version k
/// of the hook (to a hidden file, renamed into place, as an editor or a ConfigMap update does)
/// and times from the write to version k's first handler call (`bench.version(k)`).
enum ReloadPhase {
    struct Figures {
        var rate = 0
        /// One per reload, in milliseconds, in order.
        var milliseconds: [Double] = []
        var median: Double { milliseconds.isEmpty ? 0 : milliseconds.sorted()[(milliseconds.count - 1) / 2] }
        var max: Double { milliseconds.max() ?? 0 }
    }

    /// A version's first call at a time, or no time: the wait for it timed out.
    private typealias FirstCall = (version: Int64, at: Int64?)

    static func run(_ context: BenchContext, reloads: Int, rate: Int) async throws -> Figures {
        let (firstCalls, firstCall) = AsyncStream.makeStream(of: FirstCall.self)
        let probe = BenchProbe { version, at in firstCall.yield((version, at)) }
        let folder = try context.scratch.hooksFolder("reload", scripts: ["bench.lua": HookScript.versioned(0)])
        let hook = folder.appendingPathComponent("_all/bench.lua")
        let statistics = HookStatistics()
        let runtime = HookRuntime(root: folder.path, environment: HookEnvironment(
            log: { _ in }, failures: { [logger = context.logger] in logger.error("hook failed: \($0.report)") },
            statistics: statistics, modules: { _ in [probe.module] }))
        try await runtime.loadAll()
        let client = try KubeClient(
            connection: KubeConnection(server: context.server.baseURL, namespace: "default", origin: "kubelua-bench"),
            logger: context.logger)
        let daemon = HookDaemon(runtime: runtime, client: client, monitor: HookFolderMonitor(root: folder.path), logger: context.logger)
        let group = ServiceGroup(configuration: .init(services: [daemon], gracefulShutdownSignals: [], logger: context.logger))
        let running = Task { try await group.run() }

        var figures = Figures(rate: rate)
        do {
            await waitForInitialAdds(daemon, statistics: statistics)
            // Enough events for ten minutes; stopped when the reloads are done.
            _ = try await context.server.request("pace \(rate) \(rate * 600)")
            var calls = firstCalls.makeAsyncIterator()
            _ = try await waitFor(version: 0, in: &calls, stream: firstCall)
            for version in 1...reloads {
                let written = MonotonicClock.nanoseconds()
                try replace(hook, with: HookScript.versioned(version))
                let seen = try await waitFor(version: Int64(version), in: &calls, stream: firstCall)
                figures.milliseconds.append(Double(seen - written) / 1e6)
            }
            _ = try PacedReply(try await context.server.request("stop"))
        } catch {
            _ = try? await context.server.request("stop")
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            try? await client.shutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
        try await client.shutdown()
        return figures
    }

    /// Returns once the daemon's watch has applied its first list and the one hook has handled
    /// its adds (one call per cached pod), polling every millisecond.
    private static func waitForInitialAdds(_ daemon: HookDaemon, statistics: HookStatistics) async {
        func synced() -> Bool { daemon.health.watches.all.count > 0 && daemon.health.watches.unsynced.isEmpty }
        while !synced() { try? await Task.sleep(for: .milliseconds(1)) }
        await statistics.waitUntilCompleted(daemon.runtime.cache.count())
    }

    /// Writes a sibling hidden file (the layout skips those) and renames it over `file`.
    private static func replace(_ file: URL, with source: String) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent("." + file.lastPathComponent + ".new")
        try Data(source.utf8).write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else { throw BenchFailure("reload: cannot rename \(temporary.path): errno \(errno)") }
    }

    /// When `version` first ran; fails if that takes more than ten seconds.
    private static func waitFor(
        version: Int64, in calls: inout AsyncStream<FirstCall>.Iterator, stream: AsyncStream<FirstCall>.Continuation
    ) async throws -> Int64 {
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            stream.yield((version, nil))
        }
        defer { watchdog.cancel() }
        while let call = await calls.next() {
            guard call.version == version else { continue }
            guard let at = call.at else { break }
            return at
        }
        throw BenchFailure("reload: hook version \(version) did not handle an event within 10 s of being written")
    }
}
