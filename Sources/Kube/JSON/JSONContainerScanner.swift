import JSONBytes

/// Finds the end of one JSON object or array fed in pieces, indexing every container in it on
/// the way. It counts brackets outside strings and checks nothing else: the text is validated by
/// whoever reads it.
struct JSONContainerScanner {
    /// The index's (start, end) pairs so far.
    private var pairs: [UInt32] = []
    /// Slots in `pairs` of the containers still open.
    private var open: [Int] = []
    private var inString = false
    private var escaped = false

    var index: JSONContainerIndex { JSONContainerIndex(pairs: pairs) }

    /// True once the scanner has seen the container's opening bracket.
    var started: Bool { !open.isEmpty }

    /// Scans `bytes[from..<to]` (positions relative to the container's first byte, which `bytes`
    /// points at); returns the position just past the container's end if it is in the range.
    mutating func scan(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            if inString {
                if escaped {
                    escaped = false
                } else {
                    while i + 8 <= to {
                        let stops = JSONScan.stringStops(JSONScan.load(bytes + i))
                        if stops != 0 {
                            i += JSONScan.firstLane(stops)
                            break
                        }
                        i += 8
                    }
                    guard i < to else { return nil }
                    switch bytes[i] {
                    case UInt8(ascii: "\""): inString = false
                    case UInt8(ascii: "\\"): escaped = true
                    default: break
                    }
                }
            } else {
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    open.append(pairs.count)
                    pairs.append(UInt32(truncatingIfNeeded: i))
                    pairs.append(0)
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard let slot = open.popLast() else { break }
                    pairs[slot + 1] = UInt32(truncatingIfNeeded: i + 1)
                    if open.isEmpty { return i + 1 }
                default:
                    break
                }
            }
            i += 1
        }
        return nil
    }
}
