/// Where each object and array of one JSON text ends, found while framing it, so that reading a
/// few fields (an event's type, a pod's metadata and phase, what a hook reads) jumps over the
/// rest instead of walking it again.
public struct JSONContainerIndex: Sendable, Equatable {
    /// (start, end) pairs in order of start: the opening bracket's position and the position
    /// just past the closing one.
    public private(set) var pairs: [UInt32] = []

    public init() {}

    public init(pairs: [UInt32]) {
        self.pairs = pairs
    }

    public var isEmpty: Bool { pairs.isEmpty }

    /// Just past the container whose opening bracket is at `start`, if it is indexed.
    public func end(ofContainerAt start: Int) -> Int? {
        pairs.withUnsafeBufferPointer { Self.end(ofContainerAt: start, in: $0) }
    }

    /// The index of the container at `range` alone, with positions relative to its start.
    public func subindex(of range: Range<Int>) -> JSONContainerIndex {
        pairs.withUnsafeBufferPointer { pairs in
            guard let first = Self.slot(ofContainerAt: range.lowerBound, in: pairs) else { return JSONContainerIndex() }
            var slot = first
            // Containers inside come right after it, in order of start.
            while slot < pairs.count, Int(pairs[slot]) < range.upperBound { slot += 2 }
            let base = UInt32(range.lowerBound)
            return JSONContainerIndex(pairs: pairs[first..<slot].map { $0 - base })
        }
    }

    /// `end(ofContainerAt:)` over pairs held elsewhere (for example inside a Lua userdata).
    @inlinable
    public static func end(ofContainerAt start: Int, in pairs: UnsafeBufferPointer<UInt32>) -> Int? {
        slot(ofContainerAt: start, in: pairs).map { Int(pairs[$0 + 1]) }
    }

    @inlinable
    @usableFromInline
    static func slot(ofContainerAt start: Int, in pairs: UnsafeBufferPointer<UInt32>) -> Int? {
        var low = 0, high = pairs.count / 2
        while low < high {
            let middle = (low + high) / 2
            let opening = Int(pairs[2 * middle])
            if opening == start { return 2 * middle }
            if opening < start { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}

extension JSONContainerIndex {
    /// The index of the same text with the bytes of `cut` removed, where `cut` holds whole
    /// containers (or none): those inside it go, those after it move back, those around it shrink.
    public func removing(_ cut: Range<Int>) -> JSONContainerIndex {
        let removed = UInt32(cut.count), lower = UInt32(cut.lowerBound), upper = UInt32(cut.upperBound)
        let inside = stride(from: 0, to: pairs.count, by: 2).count { pairs[$0] >= lower && pairs[$0] < upper }
        var kept: [UInt32] = []
        kept.reserveCapacity(pairs.count - 2 * inside)  // exactly: the index stays as small as the text
        for slot in stride(from: 0, to: pairs.count, by: 2) {
            let start = pairs[slot], end = pairs[slot + 1]
            if start >= lower && start < upper { continue }
            kept.append(start >= upper ? start - removed : start)
            kept.append(end >= upper ? end - removed : end)
        }
        return JSONContainerIndex(pairs: kept)
    }
}
