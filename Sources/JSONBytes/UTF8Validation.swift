/// Well-formedness checks for UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF):
/// Lua strings are byte strings, but JSON text must be Unicode, in both directions. Part of the
/// string policy of the shared layer (`JSONString`).
public enum UTF8Validation {
    /// Length of the well-formed sequence starting at `p[i]`, or 0 if it is ill-formed.
    @inlinable @inline(__always)
    public static func sequenceLength(_ p: UnsafePointer<UInt8>, at i: Int, count n: Int) -> Int {
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        if b0 < 0xC2 { return 0 }
        if b0 < 0xE0 {
            return i + 1 < n && isContinuation(p[i + 1]) ? 2 : 0
        }
        if b0 < 0xF0 {
            guard i + 2 < n else { return 0 }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            return b1 >= low && b1 <= high && isContinuation(p[i + 2]) ? 3 : 0
        }
        if b0 < 0xF5 {
            guard i + 3 < n else { return 0 }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            return b1 >= low && b1 <= high && isContinuation(p[i + 2]) && isContinuation(p[i + 3]) ? 4 : 0
        }
        return 0
    }

    /// Offset of the first byte that does not begin a well-formed sequence, or nil if all of
    /// `p[0..<n]` is valid UTF-8. ASCII is skipped eight bytes at a time.
    public static func firstInvalid(_ p: UnsafePointer<UInt8>, count n: Int) -> Int? {
        var i = 0
        while i < n {
            if i + 8 <= n, JSONScan.load(p + i) & JSONScan.highs == 0 {
                i += 8
                continue
            }
            let length = sequenceLength(p, at: i, count: n)
            if length == 0 { return i }
            i += length
        }
        return nil
    }

    /// The end of `p[from..<end]` without a last sequence that `end` cuts short (its lead
    /// byte is one of the last three and it needs more bytes than are left): where a scan fed
    /// in pieces checks up to, to resume there once more bytes arrive.
    @inlinable
    public static func completeSequencesEnd(_ p: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var k = end
        while k > max(from, end - 3) {
            k -= 1
            let b = p[k]
            if isContinuation(b) { continue }
            let needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            return needed > end - k ? k : end
        }
        return end
    }

    @inlinable @inline(__always)
    public static func isContinuation(_ b: UInt8) -> Bool {
        b & 0xC0 == 0x80
    }
}
