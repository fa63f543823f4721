import JSONBytes

/// Finds where a JSON object or array ends without decoding it: what a decoder that defers
/// nested containers needs to step over them. It checks nesting only; whatever it steps over
/// is validated when (if ever) it is decoded.
enum JSONSkip {
    /// Index just past the container whose opening bracket is at `start`, or nil when the input
    /// ends before it closes.
    static func containerEnd(_ bytes: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int? {
        var depth = 0
        var i = start
        while i < end {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard let closed = stringEnd(bytes, from: i + 1, end: end) else { return nil }
                i = closed
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// Index just past the closing quote of the string whose contents start at `start`.
    @inline(__always)
    static func stringEnd(_ bytes: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int? {
        var i = start
        while i < end {
            if i + 8 <= end {
                let stops = JSONScan.stringStops(JSONScan.load(bytes + i))
                if stops == 0 {
                    i += 8
                    continue
                }
                i += JSONScan.firstLane(stops)
            }
            switch bytes[i] {
            case UInt8(ascii: "\""): return i + 1
            case UInt8(ascii: "\\"): i += 2
            default: i += 1
            }
        }
        return nil
    }
}
