/// The one bracket counter of kubelua's JSON readers: finds where an object or array ends,
/// fed whole or in pieces, and indexes every container in it on the way (`JSONContainerIndex`).
/// Strings are walked by `JSONString.scan`, so every string it passes over is checked against
/// the escape policy (`JSONEscape`); brackets, commas, numbers and literals are not checked
/// here but by whoever reads the value.
///
/// The informer's framer feeds it a watch stream chunk by chunk; the informer's cursor and
/// Lua's decoders call `end(ofContainerAt:)` to step over a container they have no index for.
public struct JSONContainerScanner: Sendable {
    /// The index's (start, end) pairs so far.
    private var pairs: [UInt32] = []
    /// Slots in `pairs` of the containers still open.
    private var open: [Int] = []
    private var depth = 0
    /// Where scanning resumes, relative to the container's first byte.
    private var position = 0
    private var inString = false
    private let indexing: Bool
    /// Containers shorter than this (brackets included) are left out of the index: stepping
    /// over a few dozen bytes by scanning costs next to nothing, and in a pod most containers
    /// are that short (`{}`, `{"cpu":"100m"}`), so the index kept with each cached pod is a
    /// fraction of what it would be (see `JSONObjectFramer`).
    private let shortestIndexed: Int

    /// `indexing: false` only finds the end, allocating nothing; `shortestIndexed` (in bytes)
    /// leaves shorter containers out of the index.
    public init(indexing: Bool = true, shortestIndexed: Int = 0) {
        self.indexing = indexing
        self.shortestIndexed = shortestIndexed
    }

    public var index: JSONContainerIndex { JSONContainerIndex(pairs: pairs) }

    /// True once the scanner has taken the container's opening bracket.
    public var started: Bool { position > 0 }

    /// Scans on from where the last call stopped, over the first `count` bytes of the container
    /// that `bytes` points at (its opening bracket; `count` only grows from call to call);
    /// returns the position just past the container's end once it is among them.
    public mutating func scan(_ bytes: UnsafePointer<UInt8>, count: Int) throws(JSONSyntaxError) -> Int? {
        var i = position
        defer { position = i }
        while i < count {
            if inString {
                switch try JSONString.scan(bytes, from: i, end: count) {
                case .closed(let after):
                    inString = false
                    i = after
                    continue
                case .open(let resumeAt):
                    i = resumeAt
                    return nil
                }
            }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if indexing {
                    open.append(pairs.count)
                    pairs.append(UInt32(truncatingIfNeeded: i))
                    pairs.append(0)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { break }
                depth -= 1
                if indexing { close(at: i + 1) }
                if depth == 0 {
                    i += 1
                    return i
                }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// Records the end of the innermost open container, or drops it when it is short. A short
    /// one's pair is the last: everything opened after it lies inside it, is shorter still and
    /// has been dropped already.
    private mutating func close(at end: Int) {
        let slot = open.removeLast()
        if end - Int(pairs[slot]) < shortestIndexed {
            pairs.removeLast(2)
        } else {
            pairs[slot + 1] = UInt32(truncatingIfNeeded: end)
        }
    }

    /// The shortest container the informer indexes (see `shortestIndexed`): measured on the
    /// generated pods, 64 bytes keeps 61 of their 163 containers.
    public static let informerShortestIndexed = 64

    /// The index of the whole text in `bytes`, which must start with its opening bracket; nil
    /// when it does not, or is not one complete container (the caller's reader then reports
    /// what is wrong, as it would without an index).
    public static func index(of bytes: UnsafeBufferPointer<UInt8>, shortestIndexed: Int) -> JSONContainerIndex? {
        guard let base = bytes.baseAddress, bytes.first == UInt8(ascii: "{") || bytes.first == UInt8(ascii: "[") else { return nil }
        var scanner = JSONContainerScanner(shortestIndexed: shortestIndexed)
        guard (try? scanner.scan(base, count: bytes.count)) != nil else { return nil }
        return scanner.index
    }

    /// Just past the object or array whose opening bracket is at `start` of `bytes[..<end]`.
    public static func end(ofContainerAt start: Int, in bytes: UnsafePointer<UInt8>, end: Int) throws(JSONSyntaxError) -> Int {
        var scanner = JSONContainerScanner(indexing: false)
        let found: Int?
        do {
            found = try scanner.scan(bytes + start, count: end - start)
        } catch {
            throw JSONSyntaxError(error.reason, at: start + error.offset)
        }
        guard let found else { throw JSONSyntaxError(.unterminatedContainer, at: start) }
        return start + found
    }
}
