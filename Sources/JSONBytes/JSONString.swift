/// Strings under the policy every kubelua JSON reader applies: escapes as `JSONEscape` decodes
/// them (RFC 8259's, nothing else), no raw byte below 0x20, and well-formed UTF-8. Skipping a
/// string checks all three, so whatever steps over a value (the framer, the informer's cursor,
/// Lua's decoders stepping over a container) rejects exactly the strings Lua's decoder would
/// reject when it reads them.
public enum JSONString {
    /// From `from` (inside a string), the position of the next `"`, `\` or control byte (or
    /// `end`), and whether a byte before it is non-ASCII. Eight bytes at a time; a caller that
    /// ignores `sawHigh` pays nothing for it once this is inlined.
    @inlinable @inline(__always)
    public static func run(_ p: UnsafePointer<UInt8>, from: Int, end: Int) -> (stop: Int, sawHigh: Bool) {
        var i = from
        var high: UInt64 = 0
        while i + 8 <= end {
            let word = JSONScan.load(p + i)
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
            let c = p[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
            if c >= 0x80 { sawHigh = true }
            i += 1
        }
        return (i, sawHigh)
    }

    /// Where a string scan from inside a string got to.
    public enum Progress: Equatable {
        /// The string closed; the position just past its closing quote.
        case closed(after: Int)
        /// The input ended first; once more bytes are there, scanning resumes at this position
        /// (an escape cut short is read again from its backslash).
        case open(resumeAt: Int)
    }

    /// Scans from `from`, inside a string, to just past its closing quote, checking escapes
    /// and bytes on the way: the one string walk of the layer, used whole (`end(open:)`) and
    /// chunk by chunk (`JSONContainerScanner`).
    @inlinable @inline(__always)
    public static func scan(_ p: UnsafePointer<UInt8>, from: Int, end: Int) throws(JSONSyntaxError) -> Progress {
        var i = from
        while true {
            let (stop, sawHigh) = run(p, from: i, end: end)
            if sawHigh {
                // A sequence cut by `end` is checked once the rest of it is there.
                let complete = stop < end ? stop : UTF8Validation.completeSequencesEnd(p, from: i, end: end)
                if let bad = UTF8Validation.firstInvalid(p + i, count: complete - i) {
                    throw JSONSyntaxError(.invalidUTF8, at: i + bad)
                }
                if stop == end { return .open(resumeAt: complete) }
            }
            i = stop
            guard i < end else { return .open(resumeAt: end) }
            switch p[i] {
            case UInt8(ascii: "\\"):
                // Most escapes (`\"` above all) are two bytes, checked without decoding.
                if i + 1 < end && JSONEscape.isShort(p[i + 1]) {
                    i += 2
                    continue
                }
                do {
                    i += try JSONEscape.decode(p, at: i, end: end).length
                } catch where error.reason == .unterminatedString {
                    return .open(resumeAt: i)
                }
            case UInt8(ascii: "\""):
                return .closed(after: i + 1)
            case let control:
                throw JSONSyntaxError(.controlCharacter(control), at: i)
            }
        }
    }

    /// Just past the closing quote of the string whose opening quote is at `open`. An input
    /// that ends first is `unterminatedString` at `open`.
    @inlinable
    public static func end(_ p: UnsafePointer<UInt8>, open: Int, end: Int) throws(JSONSyntaxError) -> Int {
        switch try scan(p, from: open + 1, end: end) {
        case .closed(let after): return after
        case .open: throw JSONSyntaxError(.unterminatedString, at: open)
        }
    }
}
