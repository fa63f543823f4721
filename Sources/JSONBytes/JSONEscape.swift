/// The one escape policy of kubelua's JSON readers, RFC 8259's: only `\" \\ \/ \b \f \n \r \t`
/// and `\uXXXX`; a high surrogate must be followed at once by an escaped low one, and a low one
/// alone is an error. The informer (framer and cursor) and Lua's decoders all decode or check
/// escapes here, so a byte string one of them accepts the others accept too.
public enum JSONEscape {
    /// Decodes the escape whose backslash is at `at`: the Unicode scalar it stands for and its
    /// length in bytes (2, 6, or 12 for a surrogate pair). Running into `end` before the escape
    /// is complete is `unterminatedString` (at the backslash): a framer then waits for more.
    @inlinable
    public static func decode(_ p: UnsafePointer<UInt8>, at: Int, end: Int) throws(JSONSyntaxError) -> (scalar: UInt32, length: Int) {
        guard at + 1 < end else { throw JSONSyntaxError(.unterminatedString, at: at) }
        switch p[at + 1] {
        case UInt8(ascii: "\""): return (0x22, 2)
        case UInt8(ascii: "\\"): return (0x5C, 2)
        case UInt8(ascii: "/"): return (0x2F, 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            let unit = try hex4(p, escapeAt: at, end: end)
            if unit >= 0xDC00 && unit <= 0xDFFF { throw JSONSyntaxError(.loneSurrogate(unit), at: at) }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return (unit, 6) }
            // The low half must come next, itself escaped.
            let next = at + 6
            guard next < end else { throw JSONSyntaxError(.unterminatedString, at: at) }
            guard p[next] == UInt8(ascii: "\\") else { throw JSONSyntaxError(.loneSurrogate(unit), at: at) }
            guard next + 1 < end else { throw JSONSyntaxError(.unterminatedString, at: at) }
            guard p[next + 1] == UInt8(ascii: "u") else { throw JSONSyntaxError(.loneSurrogate(unit), at: at) }
            let low = try hex4(p, escapeAt: next, end: end)
            guard low >= 0xDC00 && low <= 0xDFFF else { throw JSONSyntaxError(.loneSurrogate(unit), at: at) }
            return (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), 12)
        case let other:
            throw JSONSyntaxError(.invalidEscape(other), at: at)
        }
    }

    /// Whether `\` then `c` is one of the two-byte escapes.
    @inlinable @inline(__always)
    public static func isShort(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            true
        default: false
        }
    }

    /// The four hex digits after the `\u` whose backslash is at `escapeAt`.
    @inlinable
    static func hex4(_ p: UnsafePointer<UInt8>, escapeAt: Int, end: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for k in (escapeAt + 2)..<(escapeAt + 6) {
            guard k < end else { throw JSONSyntaxError(.unterminatedString, at: escapeAt) }
            let c = p[k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
            default: throw JSONSyntaxError(.invalidUnicodeEscape, at: escapeAt)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Writes `scalar` (a decoded escape: never a surrogate) as UTF-8 at `out`, which has room
    /// for four bytes; returns how many it wrote.
    @inlinable @inline(__always)
    public static func writeUTF8(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if scalar < 0x80 {
            out[0] = UInt8(scalar)
            return 1
        }
        if scalar < 0x800 {
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        }
        if scalar < 0x10000 {
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        }
        out[0] = UInt8(0xF0 | scalar >> 18)
        out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
        out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
        out[3] = UInt8(0x80 | scalar & 0x3F)
        return 4
    }
}
