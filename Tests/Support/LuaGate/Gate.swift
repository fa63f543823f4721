import Lua
import Synchronization

/// `wait(label)` for scripts under test: a suspending function that completes when the test
/// releases that label, so a test decides exactly when a call that waits on a helper resumes.
public final class Gate: Sendable {
    private let waiting = Mutex<[String: CheckedContinuation<LuaAsyncResult, Never>]>([:])
    private let arrivals: AsyncStream<String>.Continuation
    /// The labels, in the order calls began to wait on them.
    public let arrived: AsyncStream<String>

    public init() {
        (arrived, arrivals) = AsyncStream.makeStream()
    }

    /// Sets the global `wait` in `state`.
    public func register(in state: LuaState) {
        pushWait(onto: state, named: "wait")
        state.setGlobal("wait")
    }

    /// A module `gate` with `gate.wait`, for hooks.
    public var module: LuaModule {
        LuaModule(name: "gate") { state in
            state.newTable()
            self.pushWait(onto: state, named: "gate.wait")
            state.setField("wait")
        }
    }

    /// Resumes the call waiting on `label` with `result`.
    public func release(_ label: String, with result: LuaAsyncResult = .values([])) {
        waiting.withLock { $0.removeValue(forKey: label) }?.resume(returning: result)
    }

    private func pushWait(onto state: LuaState, named name: String) {
        state.pushSuspendingFunction(named: name) { arguments in
            let label = try arguments.string(at: 1)
            return LuaSuspension { await self.park(label) }
        }
    }

    private func park(_ label: String) async -> LuaAsyncResult {
        await withCheckedContinuation { continuation in
            waiting.withLock { $0[label] = continuation }
            arrivals.yield(label)
        }
    }
}
