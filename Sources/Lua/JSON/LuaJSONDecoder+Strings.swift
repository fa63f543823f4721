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
        JSONString.run(bytes, from: pos, end: end)
    }

    func validateUTF8(from start: Int, to stop: Int) throws(LuaJSONError) {
        if let bad = UTF8Validation.firstInvalid(bytes + start, count: stop - start) {
            throw invalidUTF8(at: start + bad)
        }
    }

    /// Decodes the escape at `pos` (its backslash) into the scratch buffer, under the one
    /// escape policy (`JSONEscape`) the informer applies too.
    mutating func unescape(stringOpenedAt open: Int) throws(LuaJSONError) {
        let at = pos
        let decoded: (scalar: UInt32, length: Int)
        do {
            decoded = try JSONEscape.decode(bytes, at: at, end: end)
        } catch {
            throw stringError(error, stringOpenedAt: open)
        }
        if scratchCount + 4 > scratchCapacity { growScratch(to: scratchCount + 4) }
        scratchCount += JSONEscape.writeUTF8(decoded.scalar, to: scratch! + scratchCount)
        pos = at + decoded.length
    }

    @inline(__always)
    func pushBytes(_ p: UnsafePointer<UInt8>, count: Int) {
        lua_pushlstring(L, UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self), count)
    }

    // MARK: Scratch buffer

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
