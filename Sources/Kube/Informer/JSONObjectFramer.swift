import JSONBytes

/// Cuts a byte stream into top-level JSON objects, whatever the chunk boundaries: the API server
/// writes one event per line, but a chunk may hold part of an event or many events. It also
/// reads concatenated, indented objects (what `kubectl get -w -o json` prints). Memory is
/// bounded by the largest single object, never by the stream. Each object comes with the index
/// of its containers, built on the same pass (`JSONContainerScanner`), so parsing it skips
/// without walking again.
///
/// Containers shorter than `shortestIndexed` bytes are left out of the index (readers scan over
/// them): most of a pod's containers are that short, and the index is kept with every cached
/// pod. Frames are slices of the framer's buffer, not copies: whoever keeps an object (the
/// cache) copies it once, out of that buffer, into its own storage (`JSONText`).
///
/// Every string of every object is checked on that pass against the one string policy
/// (`JSONString`: RFC 8259 escapes only, no raw control bytes, well-formed UTF-8), so an event
/// with a string Lua would refuse to decode is refused here, as a framing error (a malformed
/// event: the reflector relists), before any of it reaches the cache.
public struct JSONObjectFramer: Sendable {
    private var pending: [UInt8] = []
    /// The object being scanned starts at 0 of `pending` once it has started.
    private var scanner: JSONContainerScanner
    /// Bytes of the stream dropped from `pending` so far: where `pending` starts in the stream.
    private var consumed = 0
    /// The largest object accepted; a longer one is a framing error.
    public let maximumObjectSize: Int
    /// Containers shorter than this many bytes are not indexed.
    public let shortestIndexed: Int

    public init(maximumObjectSize: Int = 64 << 20, shortestIndexed: Int = JSONContainerScanner.informerShortestIndexed) {
        self.maximumObjectSize = maximumObjectSize
        self.shortestIndexed = shortestIndexed
        scanner = JSONContainerScanner(shortestIndexed: shortestIndexed)
    }

    /// True when bytes of an incomplete object are buffered (a stream ending now cut an event).
    public var hasPartialObject: Bool { pending.contains { !JSONScan.isWhitespace($0) } }

    /// Appends a chunk and returns the objects it completed, in order.
    public mutating func append<Bytes: Collection<UInt8>>(_ chunk: Bytes) throws(FramingError) -> [JSONFrame] {
        pending.append(contentsOf: chunk)
        var frames: [JSONFrame] = []
        var objectStart = 0
        while true {
            guard objectStart < pending.count else { break }
            if !scanner.started {
                objectStart = pending.withUnsafeBufferPointer { JSONScan.skipWhitespace($0.baseAddress!, from: objectStart, end: $0.count) }
                guard objectStart < pending.count else { break }
                guard pending[objectStart] == UInt8(ascii: "{") else {
                    throw FramingError(message: "found \(FramingError.describe(pending[objectStart])) where a JSON object should start", offset: consumed + objectStart)
                }
            }
            let start = objectStart
            let end: Int?
            do {
                end = try pending.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> Int? in
                    try scanner.scan(buffer.baseAddress! + start, count: buffer.count - start)
                }
            } catch {
                throw FramingError(message: error.message, offset: consumed + start + error.offset)
            }
            guard let end else { break }
            frames.append(JSONFrame(bytes: pending[start..<(start + end)], index: scanner.index, offset: consumed + start))
            scanner = JSONContainerScanner(shortestIndexed: shortestIndexed)
            objectStart = start + end
        }
        if objectStart > 0 {
            // The frames share the buffer: the rest (a partial object) goes to a new one, as
            // shifting it in place would first copy the whole shared buffer.
            var rest: [UInt8] = []
            rest.reserveCapacity(pending.capacity)
            rest.append(contentsOf: pending[objectStart...])
            pending = rest
        }
        consumed += objectStart
        guard pending.count <= maximumObjectSize else {
            throw FramingError(message: "an event larger than \(maximumObjectSize) bytes", offset: consumed)
        }
        return frames
    }
}

/// One top-level object cut from a stream, with the index of its containers.
public struct JSONFrame: Sendable, Equatable {
    /// A slice of the framer's buffer (its indices are the buffer's; the index's positions are
    /// relative to the slice's start).
    public let bytes: ArraySlice<UInt8>
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
