import CLua
import JSONBytes

extension LuaJSONDecoder {
    /// Parses the number at `pos` and pushes it: a Lua integer when it is written without
    /// fraction or exponent and fits in 64 bits (so `8080` stays `8080`), a float otherwise.
    mutating func parseNumber() throws(LuaJSONError) {
        let start = pos
        var i = pos
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < end else { throw unexpectedEnd(at: i) }

        // Up to 19 significant digits go into `mantissa` (they always fit in a UInt64); the
        // value is mantissa × 10^exponent until more digits are dropped.
        var mantissa: UInt64 = 0
        var digits = 0
        var dropped = false
        var exponent = 0

        let first = bytes[i]
        if first == UInt8(ascii: "0") {
            i += 1
            if i < end && JSONScan.isDigit(bytes[i]) { throw leadingZero(at: start) }
        } else if JSONScan.isDigit(first) {
            while i < end, JSONScan.isDigit(bytes[i]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30)
                    digits += 1
                } else {
                    dropped = true
                    exponent += 1
                }
                i += 1
            }
        } else {
            pos = i
            throw unexpectedCharacter()
        }

        var isFloat = false
        if i < end && bytes[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            guard i < end, JSONScan.isDigit(bytes[i]) else { throw invalidNumber(at: start) }
            while i < end, JSONScan.isDigit(bytes[i]) {
                let digit = bytes[i] &- 0x30
                if mantissa == 0 && digit == 0 {
                    exponent -= 1 // a leading zero of the fraction carries no significance
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    digits += 1
                    exponent -= 1
                } else {
                    dropped = true
                }
                i += 1
            }
        }
        if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            isFloat = true
            i += 1
            var exponentNegative = false
            if i < end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end, JSONScan.isDigit(bytes[i]) else { throw invalidNumber(at: start) }
            var written = 0
            while i < end, JSONScan.isDigit(bytes[i]) {
                if written < 1_000_000 { written = written * 10 + Int(bytes[i] &- 0x30) }
                i += 1
            }
            exponent += exponentNegative ? -written : written
        }
        pos = i

        if !isFloat && !dropped {
            if negative {
                if mantissa <= UInt64(1) << 63 {
                    lua_pushinteger(L, Int64(bitPattern: 0 &- mantissa))
                    return
                }
            } else if mantissa <= UInt64(Int64.max) {
                lua_pushinteger(L, Int64(mantissa))
                return
            }
        }

        // Exact fast path: both factors are exactly representable, so one rounding gives the
        // correctly rounded result. Everything else goes through the standard library's parser.
        var value: Double
        if !dropped && mantissa <= UInt64(1) << 53 && exponent >= -22 && exponent <= 22 {
            value = Double(mantissa)
            if exponent < 0 {
                value /= Self.powersOfTen[-exponent]
            } else {
                value *= Self.powersOfTen[exponent]
            }
            if negative { value = -value }
        } else {
            value = parseDoubleSlowly(from: start, to: i)
        }
        lua_pushnumber(L, value)
    }

    /// Correctly rounded parse of any JSON number (locale independent). JSON's number grammar is
    /// a subset of what `Double(_:)` accepts, and overflow gives ±infinity.
    @inline(never)
    func parseDoubleSlowly(from start: Int, to stop: Int) -> Double {
        let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: stop - start), as: UTF8.self)
        return Double(text) ?? .nan
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
