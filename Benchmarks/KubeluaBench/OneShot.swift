import Synchronization

/// A value set once by one thread (a child's exit status, the end of a pipe or of a paced
/// stream) and awaited by any number of tasks.
final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [CheckedContinuation<Value, Never>] = []
    }

    private let state = Mutex(State())

    init() {}

    /// Sets the value and wakes the waiters; later calls are ignored.
    func set(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    var current: Value? { state.withLock { $0.value } }

    func value() async -> Value {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if let value = state.value { continuation.resume(returning: value) } else { state.waiters.append(continuation) }
            }
        }
    }
}
