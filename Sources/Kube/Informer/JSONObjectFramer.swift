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
    /// Bytes of the stream dropped from `pending` so far: where `pending` starts in the stream.
    private var consumed = 0
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
                guard byte == UInt8(ascii: "{") else {
                    throw FramingError(message: "found \(FramingError.describe(byte)) where a JSON object should start", offset: consumed + i)
                }
                objectStart = i
            }
            let start = objectStart, from = i - objectStart, to = pending.count - objectStart
            let end = pending.withUnsafeBufferPointer { scanner.scan($0.baseAddress! + start, from: from, to: to) }
            guard let end else {
                i = pending.count
                break
            }
            frames.append(JSONFrame(bytes: Array(pending[objectStart..<(objectStart + end)]), index: scanner.index, offset: consumed + objectStart))
            scanner = JSONContainerScanner()
            i = objectStart + end
            objectStart = i
        }
        pending.removeFirst(objectStart)
        consumed += objectStart
        scanned = pending.count
        guard pending.count <= maximumObjectSize else {
            throw FramingError(message: "an event larger than \(maximumObjectSize) bytes", offset: consumed)
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
    /// Where the object starts in the stream, in bytes.
    public var offset = 0
}

/// The stream is not a sequence of JSON objects.
public struct FramingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// Where in the stream, in bytes.
    public let offset: Int
    public var description: String { message }

    /// A byte as people read it: `'h'` when printable, else its value in hex.
    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
