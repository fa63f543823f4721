/// Word-at-a-time byte classification for the scanners that walk JSON text (this module's
/// string and container scanning, Lua's decoder and encoder): a JSON document is mostly string
/// bytes, so finding the next byte that needs attention eight bytes at a time is where most of
/// the speed comes from.
/// Inlinable, as these run once per eight bytes of every event.
public enum JSONScan {
    public static let ones: UInt64 = 0x0101_0101_0101_0101
    public static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Reads eight bytes with the first one in the low byte, whatever the machine's byte order.
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// High bit set in the lane of every `"`, `\` and control byte. Borrows only run upwards,
    /// so the lowest marked lane is always a true hit (higher ones may be false).
    @inlinable @inline(__always)
    public static func stringStops(_ w: UInt64) -> UInt64 {
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let control = (w &- ones &* 0x20) & ~w
        let quoteHit = (quote &- ones) & ~quote
        let backslashHit = (backslash &- ones) & ~backslash
        return (control | quoteHit | backslashHit) & highs
    }

    /// Index (0...7) of the lowest marked lane of a nonzero mask.
    @inlinable @inline(__always)
    public static func firstLane(_ mask: UInt64) -> Int {
        mask.trailingZeroBitCount &>> 3
    }

    /// JSON's four whitespace bytes.
    @inlinable @inline(__always)
    public static func isWhitespace(_ c: UInt8) -> Bool {
        c <= 0x20 && (c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09)
    }

    /// The first position from `from` that is not whitespace, or `end`.
    @inlinable @inline(__always)
    public static func skipWhitespace(_ p: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from
        while i < end && isWhitespace(p[i]) { i += 1 }
        return i
    }

    @inlinable @inline(__always)
    public static func isDigit(_ c: UInt8) -> Bool {
        c &- 0x30 < 10
    }
}
