internal import CJSONBlocks

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
    ///
    /// Sixty-four bytes at a time while they hold no control byte, no non-ASCII byte and no
    /// escape but the two-byte ones, each inside a string: strings there need no other check,
    /// and only quotes and brackets count. Any other block is scanned byte by byte, so
    /// escapes, UTF-8 and errors are checked (and reported at their place) by one code path,
    /// the same as for a text fed in pieces.
    public mutating func scan(_ bytes: UnsafePointer<UInt8>, count: Int) throws(JSONSyntaxError) -> Int? {
        while position + 64 <= count {
            switch step(kl_json_classify(bytes + position), of: bytes + position) {
            case .ended(let end): return end
            case .passed: continue
            case .needsBytes:
                if let end = try scanBytes(bytes, upTo: position + 64) { return end }
            }
        }
        return try scanBytes(bytes, upTo: count)
    }

    private enum BlockStep {
        /// The container ended here.
        case ended(Int)
        /// The block was taken whole.
        case passed
        /// The block holds what only the byte-by-byte scan checks; nothing was taken.
        case needsBytes
    }

    /// Takes the 64 bytes at `position` (`block` classifies them, `p` points at them) when they
    /// need no closer look: the brackets outside strings in order, and whether a string is open
    /// after them.
    private mutating func step(_ block: kl_json_block, of p: UnsafePointer<UInt8>) -> BlockStep {
        guard block.specials == 0 else { return .needsBytes }
        // The bytes escaped by a backslash (which is then not itself escaped), taking each
        // backslash as an escape: only right if each lies in a string, checked below.
        var escaped: UInt64 = 0
        var backslashes = block.backslashes
        while backslashes != 0 {
            let bit = backslashes.trailingZeroBitCount
            guard bit < 63, JSONEscape.isShort(p[bit + 1]) else { return .needsBytes }
            escaped |= 1 << (bit + 1)
            backslashes &= ~(3 << bit)
        }
        // Bit k of `inside`: byte k lies in a string (from its opening quote up to its closing
        // one), by the parity of the quotes up to it that are not escaped.
        let quotes = block.quotes & ~escaped
        var inside = quotes
        inside ^= inside << 1
        inside ^= inside << 2
        inside ^= inside << 4
        inside ^= inside << 8
        inside ^= inside << 16
        inside ^= inside << 32
        if inString { inside = ~inside }
        guard block.backslashes & ~escaped & ~inside == 0 else { return .needsBytes }
        var brackets = (block.opens | block.closes) & ~inside
        while brackets != 0 {
            let bit = brackets.trailingZeroBitCount
            brackets &= brackets &- 1
            let at = position + bit
            if block.opens >> bit & 1 == 1 {
                opened(at: at)
            } else if closedTheOutermost(at: at) {
                position = at + 1
                return .ended(position)
            }
        }
        if quotes.nonzeroBitCount & 1 == 1 { inString.toggle() }
        position += 64
        return .passed
    }

    /// Scans byte by byte from `position` up to `limit`; the position just past the
    /// container's end once it is among them.
    private mutating func scanBytes(_ bytes: UnsafePointer<UInt8>, upTo limit: Int) throws(JSONSyntaxError) -> Int? {
        var i = position
        defer { position = i }
        while i < limit {
            if inString {
                switch try JSONString.scan(bytes, from: i, end: limit) {
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
                opened(at: i)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if closedTheOutermost(at: i) {
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

    /// A bracket opens a container at `at`.
    private mutating func opened(at: Int) {
        depth += 1
        guard indexing else { return }
        open.append(pairs.count)
        pairs.append(UInt32(truncatingIfNeeded: at))
        pairs.append(0)
    }

    /// A bracket at `at` closes the innermost open container (one with none open is ignored);
    /// whether that was the outermost, the one scanned.
    private mutating func closedTheOutermost(at: Int) -> Bool {
        guard depth > 0 else { return false }
        depth -= 1
        if indexing { close(at: at + 1) }
        return depth == 0
    }

    /// Records the end of the innermost open container, or drops it when it is short. A short
    /// one's pair is the last: everything opened after it lies inside it, is shorter still and
    /// has been dropped already.
    private mutating func close(at end: Int) {
        let slot = open.removeLast()
        if end - Int(pairs[slot]) < shortestIndexed {
            // Two single removals: `removeLast(2)` goes through the generic range replacement.
            pairs.removeLast()
            pairs.removeLast()
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
