import Foundation

/// Sits between reflectors and one consumer that may be slow (Lua hooks, a terminal): its
/// `deliver` never waits, so watches keep reading while the consumer lags (informer.md row 21);
/// nothing is dropped; `backlog` shows how far behind the consumer is. Memory grows with the
/// lag, which is the price of dropping nothing.
///
/// One consumer iterates it; iteration ends after `finish()`, once the backlog is consumed.
public final class InformerUpdateBuffer: AsyncSequence, @unchecked Sendable {
    public typealias Element = InformerUpdate

    private let stream: AsyncStream<InformerUpdate>
    private let continuation: AsyncStream<InformerUpdate>.Continuation
    private let lock = NSLock()
    private var pending = 0

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: InformerUpdate.self, bufferingPolicy: .unbounded)
    }

    /// Queues an update for the consumer and returns at once: pass it as a reflector's `deliver`.
    @Sendable public func deliver(_ update: InformerUpdate) {
        lock.withLock { pending += 1 }
        continuation.yield(update)
    }

    /// Updates delivered that the consumer has not taken yet: its lag.
    public var backlog: Int { lock.withLock { pending } }

    /// No more updates: iteration ends when the backlog has been consumed.
    public func finish() {
        continuation.finish()
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(updates: stream.makeAsyncIterator(), buffer: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var updates: AsyncStream<InformerUpdate>.Iterator
        let buffer: InformerUpdateBuffer

        public mutating func next() async -> InformerUpdate? {
            guard let update = await updates.next() else { return nil }
            buffer.lock.withLock { buffer.pending -= 1 }
            return update
        }
    }
}
