import CLua
import JSONBytes

extension LuaJSONDecoder {
    /// Parses the string whose opening quote is at `pos` and pushes it. A string without escapes
    /// is pushed straight from the input; only escaped strings are rebuilt in the scratch buffer.
    mutating func parseString() throws(LuaJSONError) {
        let open = pos
        let start = pos + 1
        pos = start
        let (stop, sawHigh) = scanRun()
        guard stop < end else { throw unterminatedString(at: open) }
        if sawHigh { try validateUTF8(from: start, to: stop) }
        let c = bytes[stop]
        if c == UInt8(ascii: "\"") {
            pushBytes(bytes + start, count: stop - start)
            pos = stop + 1
            return
        }
        if c != UInt8(ascii: "\\") { throw controlCharacter(at: stop) }

        scratchCount = 0
        if scratch == nil { growScratch(to: stop - start + 64) }
        appendScratch(bytes + start, count: stop - start)
        pos = stop
        while true {
            try unescape(stringOpenedAt: open)
            let runStart = pos
            let (stop, sawHigh) = scanRun()
            guard stop < end else { throw unterminatedString(at: open) }
            if sawHigh { try validateUTF8(from: runStart, to: stop) }
            appendScratch(bytes + runStart, count: stop - runStart)
            pos = stop
            let c = bytes[stop]
            if c == UInt8(ascii: "\"") {
                pushBytes(scratch!, count: scratchCount)
                pos = stop + 1
                return
            }
            if c != UInt8(ascii: "\\") { throw controlCharacter(at: stop) }
        }
    }

    /// Finds the next `"`, `\` or control byte from `pos` (or `end`), and whether any byte
    /// before it is non-ASCII and so needs UTF-8 validation.
    @inline(__always)
    func scanRun() -> (stop: Int, sawHigh: Bool) {
        var i = pos
        var high: UInt64 = 0
        while i + 8 <= end {
            let word = JSONScan.load(bytes + i)
            let stops = JSONScan.stringStops(word)
            if stops != 0 {
                // Lanes above the stop may be flagged too; a false "high" only costs a validation.
                return (i + JSONScan.firstLane(stops), (high | word) & JSONScan.highs != 0)
            }
            high |= word
            i += 8
        }
        var sawHigh = high & JSONScan.highs != 0
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
            if c >= 0x80 { sawHigh = true }
            i += 1
        }
        return (i, sawHigh)
    }

    func validateUTF8(from start: Int, to stop: Int) throws(LuaJSONError) {
        if let bad = UTF8Validation.firstInvalid(bytes + start, count: stop - start) {
            throw invalidUTF8(at: start + bad)
        }
    }

    /// Decodes the escape at `pos` (its backslash) into the scratch buffer.
    mutating func unescape(stringOpenedAt open: Int) throws(LuaJSONError) {
        let at = pos
        guard at + 1 < end else { throw unterminatedString(at: open) }
        let byte: UInt8
        switch bytes[at + 1] {
        case UInt8(ascii: "\""): byte = 0x22
        case UInt8(ascii: "\\"): byte = 0x5C
        case UInt8(ascii: "/"): byte = 0x2F
        case UInt8(ascii: "b"): byte = 0x08
        case UInt8(ascii: "f"): byte = 0x0C
        case UInt8(ascii: "n"): byte = 0x0A
        case UInt8(ascii: "r"): byte = 0x0D
        case UInt8(ascii: "t"): byte = 0x09
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: at + 2, stringOpenedAt: open)
            pos = at + 6
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low one; together they make
                // one scalar beyond the BMP.
                guard pos + 1 < end, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw loneSurrogate(scalar, at: at)
                }
                let low = try hex4(at: pos + 2, stringOpenedAt: open)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw loneSurrogate(scalar, at: at) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                pos += 6
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw loneSurrogate(scalar, at: at)
            }
            appendScalar(scalar)
            return
        default:
            throw invalidEscape(at: at)
        }
        appendScratch(byte)
        pos = at + 2
    }

    /// The four hex digits of a `\u` escape starting at `i`.
    func hex4(at i: Int, stringOpenedAt open: Int) throws(LuaJSONError) -> UInt32 {
        var value: UInt32 = 0
        for k in i..<(i + 4) {
            guard k < end else { throw unterminatedString(at: open) }
            let c = bytes[k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw invalidUnicodeEscape(at: i - 2)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    @inline(__always)
    func pushBytes(_ p: UnsafePointer<UInt8>, count: Int) {
        lua_pushlstring(L, UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self), count)
    }

    // MARK: Scratch buffer

    mutating func appendScalar(_ scalar: UInt32) {
        if scalar < 0x80 {
            appendScratch(UInt8(scalar))
        } else if scalar < 0x800 {
            appendScratch(UInt8(0xC0 | scalar >> 6))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        } else if scalar < 0x10000 {
            appendScratch(UInt8(0xE0 | scalar >> 12))
            appendScratch(UInt8(0x80 | scalar >> 6 & 0x3F))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        } else {
            appendScratch(UInt8(0xF0 | scalar >> 18))
            appendScratch(UInt8(0x80 | scalar >> 12 & 0x3F))
            appendScratch(UInt8(0x80 | scalar >> 6 & 0x3F))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        }
    }

    @inline(__always)
    mutating func appendScratch(_ byte: UInt8) {
        if scratchCount == scratchCapacity { growScratch(to: scratchCount + 1) }
        scratch![scratchCount] = byte
        scratchCount += 1
    }

    @inline(__always)
    mutating func appendScratch(_ p: UnsafePointer<UInt8>, count n: Int) {
        if scratchCount + n > scratchCapacity { growScratch(to: scratchCount + n) }
        (scratch! + scratchCount).update(from: p, count: n)
        scratchCount += n
    }

    @inline(never)
    mutating func growScratch(to needed: Int) {
        var capacity = max(256, scratchCapacity * 2)
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        if let scratch {
            grown.update(from: scratch, count: scratchCount)
            scratch.deallocate()
        }
        scratch = grown
        scratchCapacity = capacity
    }
}
