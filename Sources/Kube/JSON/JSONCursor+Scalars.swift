extension JSONCursor {
    /// Reads a string value, decoding escapes.
    mutating func readString() throws(JSONScanError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position - 1])
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        return try Self.unescape(raw, at: start)
    }

    /// Reads a string, or nil for `null`.
    mutating func readOptionalString() throws(JSONScanError) -> String? {
        if peek() == UInt8(ascii: "n") {
            try skipValue()
            return nil
        }
        return try readString()
    }

    /// Reads an integer value (or nil for `null`).
    mutating func readInteger() throws(JSONScanError) -> Int? {
        let range = try skipValue()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        if text == "null" { return nil }
        guard let value = Int(text) ?? Double(text).flatMap({ Int(exactly: $0) }) else {
            throw JSONScanError(message: "expected an integer", offset: range.lowerBound)
        }
        return value
    }

    mutating func skipString() throws(JSONScanError) {
        position += 1 // the opening quote
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"): position += 2
            default: position += 1
            }
        }
        throw error("unterminated string")
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONScanError) -> String {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var i = 0
        func flush() {
            scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
            utf8.removeAll(keepingCapacity: true)
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < raw.count else {
                utf8.append(byte)
                i += 1
                continue
            }
            flush()
            let escaped = raw[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "u"):
                guard i + 4 <= raw.count, let unit = UInt32(String(decoding: raw[i..<i + 4], as: UTF8.self), radix: 16) else {
                    throw JSONScanError(message: "invalid \\u escape", offset: offset + i)
                }
                i += 4
                if (0xD800..<0xDC00).contains(unit), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"),
                    let low = UInt32(String(decoding: raw[i + 2..<i + 6], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low)
                {
                    i += 6
                    scalars.append(UnicodeScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}")
                } else {
                    scalars.append(UnicodeScalar(unit) ?? "\u{FFFD}")
                }
            default: scalars.append(UnicodeScalar(escaped))
            }
        }
        flush()
        return String(scalars)
    }
}
