import CLua
import JSONBytes

extension LuaJSONEncoder {
    mutating func writeInteger(_ value: Int64) {
        // Digits are produced backwards into a small buffer; 20 digits and a sign always fit.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var i = 24
            repeat {
                i -= 1
                digits[i] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                i -= 1
                digits[i] = UInt8(ascii: "-")
            }
            output.append(digits.baseAddress! + i, count: 24 - i)
        }
    }

    /// Shortest text that reads back as the same double. Swift's description always has a `.`
    /// or an exponent (`2.0`, `1e+16`), so the number decodes as a float again, and it never
    /// yields anything JSON lacks except for NaN and infinities, which are refused.
    mutating func writeFloat(_ value: Double, isKey: Bool = false) throws(LuaJSONEncodingFailure) {
        guard value.isFinite else {
            let name = value.isNaN ? "NaN" : value < 0 ? "-inf" : "inf"
            throw LuaJSONEncodingFailure(.unencodable, "cannot encode \(name)\(isKey ? " as a key" : "")")
        }
        output.append(value.description)
    }

    /// Writes a quoted, escaped string, refusing invalid UTF-8. Runs of plain ASCII are found
    /// eight bytes at a time and copied whole.
    mutating func writeString(_ p: UnsafePointer<UInt8>, count n: Int, isKey: Bool = false) throws(LuaJSONEncodingFailure) {
        output.reserve(n + 2)
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        while i < n {
            // Skip plain ASCII: no quote, backslash, control or high byte in the whole word.
            while i + 8 <= n {
                let word = JSONScan.load(p + i)
                let stops = JSONScan.stringStops(word) | (word & JSONScan.highs)
                if stops != 0 {
                    i += JSONScan.firstLane(stops)
                    break
                }
                i += 8
            }
            if i >= n { break }
            let c = p[i]
            if c >= 0x80 {
                let length = UTF8Validation.sequenceLength(p, at: i, count: n)
                guard length > 0 else {
                    throw LuaJSONEncodingFailure(.unencodable, "invalid UTF-8 in \(isKey ? "key" : "string")")
                }
                i += length
                continue
            }
            guard c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 else {
                i += 1
                continue
            }
            output.append(p + runStart, count: i - runStart)
            writeEscape(c)
            i += 1
            runStart = i
        }
        output.append(p + runStart, count: n - runStart)
        output.append(UInt8(ascii: "\""))
    }

    mutating func writeEscape(_ c: UInt8) {
        output.append(UInt8(ascii: "\\"))
        switch c {
        case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            output.append("u00")
            output.append(hex.utf8Start[Int(c >> 4)])
            output.append(hex.utf8Start[Int(c & 0xF)])
        }
    }
}
