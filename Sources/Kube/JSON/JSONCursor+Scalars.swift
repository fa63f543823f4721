import JSONBytes

extension JSONCursor {
    /// Reads a string value, decoding escapes (`JSONEscape`, the policy Lua's decoder applies).
    mutating func readString() throws(JSONScanError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position - 1])
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
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

    /// Skips the string at the cursor, checking it (`JSONString`).
    mutating func skipString() throws(JSONScanError) {
        do {
            position = try JSONString.end(bytes.baseAddress!, open: position, end: bytes.count)
        } catch {
            throw JSONScanError(error)
        }
    }

    /// The text of a string's contents, whose escapes `skipString` has already checked.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        // Escapes only shrink: each decodes to at most as many UTF-8 bytes as it spans.
        String(unsafeUninitializedCapacity: raw.count) { out in
            let p = raw.baseAddress!
            var i = 0, written = 0
            while i < raw.count {
                if p[i] == UInt8(ascii: "\\"), let (scalar, length) = try? JSONEscape.decode(p, at: i, end: raw.count) {
                    written += JSONEscape.writeUTF8(scalar, to: out.baseAddress! + written)
                    i += length
                } else {
                    out[written] = p[i]
                    written += 1
                    i += 1
                }
            }
            return written
        }
    }
}
