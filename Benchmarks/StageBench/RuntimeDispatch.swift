import Foundation
import Hooks
import Kube

/// The hook runtime's path for a chunk's events: `dispatch` (routing, the hand-over into the
/// hook's queue), the hook's worker on its Lua thread, then the same handler as `HandlerCall`.
enum RuntimeDispatch {
    static func time(_ updates: [PodEvent], batch: Int) async throws -> Double {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stage-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("_all"), withIntermediateDirectories: true)
        try Data(HandlerCall.source.utf8).write(to: root.appendingPathComponent("_all/stage.lua"))
        let statistics = HookStatistics()
        let runtime = HookRuntime(root: root.path, environment: HookEnvironment(
            log: { _ in }, failures: { print("hook failed: \($0.report)") }, statistics: statistics))
        try await runtime.loadAll()
        // The world starts where the updates start, so every update is delivered.
        runtime.dispatch(updates.map { PodEvent.add($0.old!, at: $0.old!.resourceVersion) })
        await runtime.waitUntilIdle()
        let before = statistics.snapshot.succeeded
        let start = ProcessCPU.seconds()
        var offset = 0
        while offset < updates.count {
            runtime.dispatch(Array(updates[offset..<min(offset + batch, updates.count)]))
            offset += batch
        }
        await runtime.waitUntilIdle()
        let elapsed = ProcessCPU.seconds() - start
        precondition(statistics.snapshot.succeeded - before == updates.count, "not every update was handled")
        return elapsed
    }
}
