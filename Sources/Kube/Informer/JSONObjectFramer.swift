import JSONBytes

/// Cuts a byte stream into top-level JSON objects, whatever the chunk boundaries: the API server
/// writes one event per line, but a chunk may hold part of an event or many events. It also
/// reads concatenated, indented objects (what `kubectl get -w -o json` prints). Memory is
/// bounded by the largest single object, never by the stream. Each object comes with the index
/// of its containers, built on the same pass, so parsing it skips without walking again.
public struct JSONObjectFramer: Sendable {
    private var pending: [UInt8] = []
    /// Where scanning resumes in `pending`; the object being scanned starts at 0 when `scanner`
    /// has started.
    private var scanned = 0
    private var scanner = JSONContainerScanner()
    /// The largest object accepted; a longer one is a framing error.
    public let maximumObjectSize: Int

    public init(maximumObjectSize: Int = 64 << 20) {
        self.maximumObjectSize = maximumObjectSize
    }

    /// True when bytes of an incomplete object are buffered (a stream ending now cut an event).
    public var hasPartialObject: Bool { pending.contains { !Self.isWhitespace($0) } }

    /// Appends a chunk and returns the objects it completed, in order.
    public mutating func append<Bytes: Collection<UInt8>>(_ chunk: Bytes) throws(FramingError) -> [JSONFrame] {
        pending.append(contentsOf: chunk)
        var frames: [JSONFrame] = []
        var objectStart = 0
        var i = scanned
        while i < pending.count {
            if !scanner.started {
                let byte = pending[i]
                if Self.isWhitespace(byte) {
                    i += 1
                    objectStart = i
                    continue
                }
                guard byte == UInt8(ascii: "{") else { throw FramingError(message: "unexpected byte \(byte) between events") }
                objectStart = i
            }
            let start = objectStart, from = i - objectStart, to = pending.count - objectStart
            let end = pending.withUnsafeBufferPointer { scanner.scan($0.baseAddress! + start, from: from, to: to) }
            guard let end else {
                i = pending.count
                break
            }
            frames.append(JSONFrame(bytes: Array(pending[objectStart..<(objectStart + end)]), index: scanner.index))
            scanner = JSONContainerScanner()
            i = objectStart + end
            objectStart = i
        }
        pending.removeFirst(objectStart)
        scanned = pending.count
        guard pending.count <= maximumObjectSize else {
            throw FramingError(message: "an event larger than \(maximumObjectSize) bytes")
        }
        return frames
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// One top-level object cut from a stream, with the index of its containers.
public struct JSONFrame: Sendable, Equatable {
    public let bytes: [UInt8]
    public let index: JSONContainerIndex
}

/// The stream is not a sequence of JSON objects.
public struct FramingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
