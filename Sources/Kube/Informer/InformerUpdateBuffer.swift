import Synchronization

/// Sits between reflectors and one consumer that may be slow (`kubelua events`' printer): its
/// `deliver` never waits (reflectors never block on it); nothing is dropped; `backlog` shows how
/// far behind the consumer is. What bounds the lag, and so the memory, is the `BacklogLedger`
/// the consumer reserves in and the reflectors wait on: they stop reading when it is full.
///
/// A consumer takes updates one at a time (iterating) or everything waiting at once
/// (`nextBatch`): the more it lags, the larger its batches, so hand-over costs are paid per
/// batch instead of per event exactly when that matters. One consumer; it ends after
/// `finish()`, once the backlog is consumed.
public final class InformerUpdateBuffer: AsyncSequence, Sendable {
    public typealias Element = InformerUpdate

    private struct State {
        var queue: [InformerUpdate] = []
        var waiter: CheckedContinuation<Void, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Queues an update for the consumer and returns at once: pass it as a reflector's `deliver`.
    @Sendable public func deliver(_ update: InformerUpdate) {
        let waiter = state.withLock { state in
            state.queue.append(update)
            return state.waiter.take()
        }
        waiter?.resume()
    }

    /// Updates delivered that the consumer has not taken yet: its lag.
    public var backlog: Int { state.withLock { $0.queue.count } }

    /// No more updates: the consumer ends once it has taken the backlog.
    public func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            return state.waiter.take()
        }
        waiter?.resume()
    }

    /// Everything delivered and not yet taken, oldest first; waits while there is nothing.
    /// Nil once finished and drained.
    public func nextBatch() async -> [InformerUpdate]? {
        while true {
            let batch = state.withLock { state -> [InformerUpdate]?? in
                if !state.queue.isEmpty {
                    defer { state.queue = [] }
                    return .some(state.queue)
                }
                return state.finished ? .some(nil) : nil
            }
            if let batch { return batch }
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if !state.queue.isEmpty || state.finished { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(buffer: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let buffer: InformerUpdateBuffer
        var taken: [InformerUpdate] = []
        var next = 0

        public mutating func next() async -> InformerUpdate? {
            if next == taken.count {
                guard let batch = await buffer.nextBatch() else { return nil }
                taken = batch
                next = 0
            }
            defer { next += 1 }
            return taken[next]
        }
    }
}
