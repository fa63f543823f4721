import NIOCore

/// A response being read: the head, then body pieces (chunks keep their boundaries), then
/// how it ended. Owned by one task.
public final class WireStream {
    public let status: Int
    public let headers: [(name: String, value: String)]
    /// Set once the body has ended.
    public private(set) var end: WireEnd?
    private let channel: any Channel
    private var iterator: AsyncStream<WireReader.Event>.Iterator
    private var pending: [UInt8] = []

    init(channel: any Channel, events: AsyncStream<WireReader.Event>) async throws {
        self.channel = channel
        iterator = events.makeAsyncIterator()
        while true {
            switch await iterator.next() {
            case .part(.head(let status, let headers))?:
                self.status = status
                self.headers = headers
                return
            case .end(let how)?:
                throw WireError.noResponse(how)
            case .part?:
                continue
            case nil:
                throw WireError.noResponse(.closed)
            }
        }
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The next body piece: a whole chunk (`isChunk`) or plain body bytes; nil at the end.
    public func nextPiece() async -> (bytes: [UInt8], isChunk: Bool)? {
        while end == nil {
            switch await iterator.next() {
            case .part(.chunk(let bytes))?: return (bytes, true)
            case .part(.data(let bytes))?: return (bytes, false)
            case .part(.complete)?: end = .complete
            case .part(.head)?: continue
            case .end(let how)?: end = end ?? how
            case nil: end = end ?? .closed
            }
        }
        return nil
    }

    /// The next newline-terminated line of the body, across chunk boundaries; nil at the end
    /// (an unterminated remainder is left in `leftover`).
    public func nextLine() async -> WatchLine? {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return WatchLine(line)
            }
            guard let piece = await nextPiece() else { return nil }
            pending += piece.bytes
        }
    }

    /// Bytes after the last complete line once the stream has ended (a partial event).
    public var leftover: [UInt8] { pending }

    public func close() {
        channel.close(promise: nil)
    }

    deinit {
        channel.close(promise: nil)
    }
}
