import Foundation
import Lua
import Synchronization

/// `block.hold(label)` for hooks: blocks the hook's Lua thread itself (not a suspension) until the
/// test releases that label, or at most `bound`, so a test of a regression fails instead of hanging.
/// Lua code cannot block a thread; this stands in for a handler that runs long.
final class ThreadBlocker: Sendable {
    private let condition = NSCondition()
    nonisolated(unsafe) private var released: Set<String> = []
    private let arrivals: AsyncStream<String>.Continuation
    let arrived: AsyncStream<String>
    let bound: TimeInterval

    init(bound: TimeInterval = 10) {
        self.bound = bound
        (arrived, arrivals) = AsyncStream.makeStream()
    }

    var module: LuaModule {
        LuaModule(name: "block") { state in
            state.newTable()
            state.pushFunction(named: "block.hold") { arguments in
                self.hold(try arguments.string(at: 1))
                return 0
            }
            state.setField("hold")
        }
    }

    private func hold(_ label: String) {
        arrivals.yield(label)
        let limit = Date(timeIntervalSinceNow: bound)
        condition.lock()
        while !released.contains(label), condition.wait(until: limit) {}
        condition.unlock()
    }

    func release(_ label: String) {
        condition.lock()
        released.insert(label)
        condition.broadcast()
        condition.unlock()
    }
}
