import Synchronization

/// A bound on how far consumers may lag: the events delivered by reflectors and not yet handled.
/// Reflectors `reserve` what they deliver and, before reading the next chunk of a watch, wait
/// while the count is at the bound; consumers `release` what they have finished. A waiting
/// reflector reads nothing, so TCP flow control holds the server back; nothing is dropped. A
/// list is delivered whole (a partial one is never applied), so the count may pass the bound
/// once; the watch that follows then waits.
public final class Backpressure: Sendable {
    /// The most events outstanding before reflectors stop reading.
    public let bound: Int

    private struct State {
        var outstanding = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init(bound: Int) {
        precondition(bound > 0, "a backlog bound must be positive")
        self.bound = bound
    }

    /// Events delivered and not yet released.
    public var outstanding: Int { state.withLock { $0.outstanding } }

    /// Whether a reflector may read on.
    public var hasRoom: Bool { state.withLock { $0.outstanding < bound } }

    /// Counts `count` events handed to consumers. Never waits.
    public func reserve(_ count: Int) {
        state.withLock { $0.outstanding += count }
    }

    /// `count` events are done with; wakes the waiting reflectors once below the bound.
    public func release(_ count: Int) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.outstanding -= count
            guard state.outstanding < bound else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the count is below the bound, or the task is cancelled.
    public func waitForRoom() async {
        let id = state.withLock { state -> Int? in
            guard state.outstanding >= bound else { return nil }
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.outstanding < bound || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
