/// A JSON parser producing `[String: Any]` trees of Swift values (String, Int, Double, Bool,
/// `NSNull`, `[Any]`, `[String: Any]`). Hand-written for speed: pods are decoded on every
/// change, and Foundation's parser is several times slower on Linux. Kept independent of the
/// shared JSON byte layer (`Sources/JSONBytes`) on purpose: the fake server stands for the API
/// server, another program, and tests that hold kubelua's readers against it must not share
/// their code.
import Foundation

struct JSONReader {
    struct Failure: Error {
        var message: String
        var offset: Int
    }

    let bytes: [UInt8]
    var index = 0
    private var depth = 0

    static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> Any {
        var reader = JSONReader(bytes: Array(bytes))
        reader.skipSpace()
        let value = try reader.value()
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw reader.failure("unexpected data after the value") }
        return value
    }

    /// One past the last byte of the value that starts at `offset`: how edits in place step
    /// over an object or a string.
    static func end(ofValueAt offset: Int, in bytes: [UInt8]) throws(Failure) -> Int {
        var reader = JSONReader(bytes: bytes)
        reader.index = offset
        _ = try reader.value()
        return reader.index
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func failure(_ message: String) -> Failure {
        Failure(message: message, offset: index)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func value() throws(Failure) -> Any {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): return try literal("true", true)
        case UInt8(ascii: "f"): return try literal("false", false)
        case UInt8(ascii: "n"): return try literal("null", NSNull())
        default: return try number()
        }
    }

    private mutating func literal(_ text: StaticString, _ value: Any) throws(Failure) -> Any {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count,
              bytes[index..<(index + count)].elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: count))
        else { throw failure("invalid literal") }
        index += count
        return value
    }

    private mutating func object() throws(Failure) -> [String: Any] {
        try enter()
        defer { depth -= 1 }
        index += 1
        var result: [String: Any] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return result
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try string()
            skipSpace()
            try expect(":")
            skipSpace()
            result[key] = try value()
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else {
                try expect("}")
                return result
            }
        }
    }

    private mutating func array() throws(Failure) -> [Any] {
        try enter()
        defer { depth -= 1 }
        index += 1
        var result: [Any] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return result
        }
        while true {
            skipSpace()
            result.append(try value())
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else {
                try expect("]")
                return result
            }
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= 512 else { throw failure("nested too deeply") }
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(Failure) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { throw failure("expected '\(character)'") }
        index += 1
    }
}
