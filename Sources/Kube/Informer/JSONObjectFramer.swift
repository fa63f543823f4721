/// Cuts a byte stream into top-level JSON objects, whatever the chunk boundaries: the API server
/// writes one event per line, but a chunk may hold part of an event or many events. It also
/// reads concatenated, indented objects (what `kubectl get -w -o json` prints). Memory is
/// bounded by the largest single object, never by the stream.
public struct JSONObjectFramer: Sendable {
    private var pending: [UInt8] = []
    /// Where scanning resumes in `pending`, and the scanner's state there.
    private var scanned = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The largest object accepted; a longer one is a framing error.
    public let maximumObjectSize: Int

    public init(maximumObjectSize: Int = 64 << 20) {
        self.maximumObjectSize = maximumObjectSize
    }

    /// True when bytes of an incomplete object are buffered (a stream ending now cut an event).
    public var hasPartialObject: Bool { pending.contains { !Self.isWhitespace($0) } }

    /// Appends a chunk and returns the objects it completed, in order.
    public mutating func append<Bytes: Collection<UInt8>>(_ chunk: Bytes) throws(FramingError) -> [[UInt8]] {
        pending.append(contentsOf: chunk)
        var objects: [[UInt8]] = []
        var objectStart = 0
        var i = scanned
        while i < pending.count {
            let byte = pending[i]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if depth == 0 {
                if byte == UInt8(ascii: "{") {
                    depth = 1
                    objectStart = i
                } else if !Self.isWhitespace(byte) {
                    throw FramingError(message: "unexpected byte \(byte) between events")
                } else {
                    objectStart = i + 1
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        objects.append(Array(pending[objectStart...i]))
                        objectStart = i + 1
                    }
                default: break
                }
            }
            i += 1
        }
        pending.removeFirst(objectStart)
        scanned = pending.count
        guard pending.count <= maximumObjectSize else {
            throw FramingError(message: "an event larger than \(maximumObjectSize) bytes")
        }
        return objects
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// The stream is not a sequence of JSON objects.
public struct FramingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
