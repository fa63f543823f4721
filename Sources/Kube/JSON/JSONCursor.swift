import JSONBytes

/// Walks JSON text without building values: it reads the few fields kubelua needs (a pod's
/// metadata, an event's type, a list's continue token) and skips everything else, so an event
/// costs one pass over its bytes instead of a full parse. Strings, read or skipped, follow the
/// shared layer's policy (`JSONString`, `JSONEscape`: RFC 8259 escapes only, no raw control
/// bytes, well-formed UTF-8), so it rejects what Lua's decoder would reject; containers the
/// framer indexed are jumped, having been checked by the framer.
struct JSONCursor: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    /// Where the containers of `bytes` end, when the framer indexed them: skips become jumps.
    let index: JSONContainerIndex

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0, index: JSONContainerIndex = JSONContainerIndex()) {
        self.bytes = bytes
        self.position = position
        self.index = index
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func skipWhitespace() {
        guard let base = bytes.baseAddress else { return }
        position = JSONScan.skipWhitespace(base, from: position, end: bytes.count)
    }

    /// The next significant byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return atEnd ? nil : bytes[position]
    }

    mutating func expect(_ byte: UInt8) throws(JSONScanError) {
        guard peek() == byte else { throw error("expected '\(Character(UnicodeScalar(byte)))'") }
        position += 1
    }

    /// Calls `body` for each member of the object at the cursor with the member's key; `body`
    /// either consumes the value or leaves the cursor where it was, and the value is skipped.
    mutating func forEachMember(_ body: (String, inout JSONCursor) throws(JSONScanError) -> Void) throws(JSONScanError) {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let valueStart = position
            try body(key, &self)
            if position == valueStart { try skipValue() }
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    /// Calls `body` for each element of the array at the cursor; like `forEachMember`.
    mutating func forEachElement(_ body: (inout JSONCursor) throws(JSONScanError) -> Void) throws(JSONScanError) {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            let valueStart = position
            try body(&self)
            if position == valueStart { try skipValue() }
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// Skips one value of any kind and returns the byte range it occupied.
    @discardableResult
    mutating func skipValue() throws(JSONScanError) -> Range<Int> {
        skipWhitespace()
        let start = position
        guard let first = peek() else { throw error("unexpected end of JSON") }
        switch first {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if let end = index.end(ofContainerAt: position), end <= bytes.count {
                position = end
            } else {
                try skipContainer()
            }
        default:
            while position < bytes.count, !Self.endsScalar(bytes[position]) { position += 1 }
            guard position > start else { throw error("unexpected character") }
        }
        return start..<position
    }

    /// Skips a nested object or array the framer did not index, checking its strings.
    private mutating func skipContainer() throws(JSONScanError) {
        do {
            position = try JSONContainerScanner.end(ofContainerAt: position, in: bytes.baseAddress!, end: bytes.count)
        } catch {
            throw JSONScanError(error)
        }
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: true
        default: false
        }
    }

    func error(_ message: String) -> JSONScanError {
        JSONScanError(message: message, offset: position)
    }
}

/// Malformed JSON where kubelua expected an API object.
public struct JSONScanError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// Byte offset in the scanned text.
    public let offset: Int

    public var description: String { "\(message) at byte \(offset)" }

    init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    init(_ error: JSONSyntaxError) {
        self.init(message: error.message, offset: error.offset)
    }
}
