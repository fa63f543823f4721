/// Where each object and array of one JSON text ends, found while framing it, so that reading a
/// few fields (an event's type, a pod's metadata and phase, what a hook reads) jumps over the
/// rest instead of walking it again. It may leave containers out (the framer leaves out short
/// ones, see `JSONContainerScanner`): readers step over those by scanning.
public struct JSONContainerIndex: Sendable {
    /// The pairs in an array of their own, or in the block of the `JSONText` they index.
    private enum Pairs: Sendable {
        case array([UInt32])
        case stored(JSONText)
    }

    private let storage: Pairs

    public init() {
        storage = .array([])
    }

    /// (start, end) pairs in order of start: the opening bracket's position and the position
    /// just past the closing one.
    public init(pairs: [UInt32]) {
        storage = .array(pairs)
    }

    init(storedIn text: JSONText) {
        storage = .stored(text)
    }

    /// The (start, end) pairs, as a new array when they live in a text's block.
    public var pairs: [UInt32] {
        switch storage {
        case .array(let pairs): pairs
        case .stored(let text): withExtendedLifetime(text.storage) { Array(text.storage.pairs) }
        }
    }

    /// Runs `body` on the pairs where they are, without copying them.
    public func withUnsafePairs<Result, Failure>(
        _ body: (UnsafeBufferPointer<UInt32>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        switch storage {
        case .array(let pairs):
            // `withUnsafeBufferPointer` rethrows untyped; keep the typed error through a Result.
            let result: Swift.Result<Result, Failure> = pairs.withUnsafeBufferPointer { buffer in
                do throws(Failure) { return .success(try body(buffer)) } catch { return .failure(error) }
            }
            return try result.get()
        case .stored(let text):
            defer { withExtendedLifetime(text.storage) {} }
            return try body(text.storage.pairs)
        }
    }

    public var isEmpty: Bool { withUnsafePairs { $0.isEmpty } }

    /// Whether this is `text`'s own index, kept in its block.
    public func isStored(in text: JSONText) -> Bool {
        if case .stored(let own) = storage { return own.storage === text.storage }
        return false
    }

    /// Just past the container whose opening bracket is at `start`, if it is indexed.
    public func end(ofContainerAt start: Int) -> Int? {
        withUnsafePairs { Self.end(ofContainerAt: start, in: $0) }
    }

    /// The index of the container at `range` alone, with positions relative to its start.
    public func subindex(of range: Range<Int>) -> JSONContainerIndex {
        withUnsafePairs { pairs in
            let base = UInt32(range.lowerBound)
            return JSONContainerIndex(pairs: Self.slots(inside: range, in: pairs).map { pairs[$0] - base })
        }
    }

    /// The slots of `pairs` that belong to the container at `range` and those inside it (none
    /// when it is not indexed).
    static func slots(inside range: Range<Int>, in pairs: UnsafeBufferPointer<UInt32>) -> Range<Int> {
        guard let first = slot(ofContainerAt: range.lowerBound, in: pairs) else { return 0..<0 }
        var slot = first
        // Containers inside come right after it, in order of start.
        while slot < pairs.count, Int(pairs[slot]) < range.upperBound { slot += 2 }
        return first..<slot
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

extension JSONContainerIndex: Equatable {
    /// The same pairs, wherever they are kept.
    public static func == (a: JSONContainerIndex, b: JSONContainerIndex) -> Bool {
        a.withUnsafePairs { x in b.withUnsafePairs { y in x.elementsEqual(y) } }
    }
}

extension JSONContainerIndex {
    /// Where the pairs of a container go when it is copied out of a larger text (positions made
    /// relative to `base`) less the bytes of `cuts` (ascending, apart, each holding whole
    /// containers or none): the containers inside a cut go, the others move back by what was
    /// cut before them.
    struct Relocation {
        let base: Int
        let cuts: [Range<Int>]
        /// The bytes cut before and at each cut's end: `removedThrough[i]` for `cuts[i]`.
        private let removedThrough: [Int]

        init(base: Int, cuts: [Range<Int>]) {
            self.base = base
            self.cuts = cuts
            var total = 0
            removedThrough = cuts.map { cut in
                total += cut.count
                return total
            }
        }

        var removed: Int { removedThrough.last ?? 0 }

        /// How many of the UInt32s in `slots` stay.
        func survivingPairCount(of slots: Range<Int>, in pairs: UnsafeBufferPointer<UInt32>) -> Int {
            guard !cuts.isEmpty else { return slots.count }
            return stride(from: slots.lowerBound, to: slots.upperBound, by: 2).count { !isCut(Int(pairs[$0])) } * 2
        }

        /// Writes the surviving pairs of `slots`, moved, into `target` (sized by `survivingPairCount`).
        func relocate(_ slots: Range<Int>, of pairs: UnsafeBufferPointer<UInt32>, into target: UnsafeMutableBufferPointer<UInt32>) {
            var next = 0
            for slot in stride(from: slots.lowerBound, to: slots.upperBound, by: 2) {
                let start = Int(pairs[slot]), end = Int(pairs[slot + 1])
                if isCut(start) { continue }
                target[next] = UInt32(start - base - removed(before: start))
                target[next + 1] = UInt32(end - base - removed(before: end))
                next += 2
            }
        }

        /// The bytes cut before `position` (which is in no cut, or just past one).
        private func removed(before position: Int) -> Int {
            let first = firstCut(endingAfter: position)
            return first == 0 ? 0 : removedThrough[first - 1]
        }

        private func isCut(_ position: Int) -> Bool {
            let first = firstCut(endingAfter: position)
            return first < cuts.count && cuts[first].contains(position)
        }

        /// The index of the first cut that ends after `position` (`cuts.count` when none does).
        private func firstCut(endingAfter position: Int) -> Int {
            var low = 0, high = cuts.count
            while low < high {
                let middle = (low + high) / 2
                if cuts[middle].upperBound <= position { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}
