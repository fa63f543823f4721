#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON text kept for long (a cached pod version) with its container index, in one heap block
/// (`JSONTextStorage`). Immutable and shared: copies of a `JSONText` reference the same block,
/// which is freed with the last of them. Hooks read it in place.
public struct JSONText: Sendable {
    // Never written after it is made, so it may be shared across tasks (ManagedBuffer
    // subclasses cannot declare Sendable).
    nonisolated(unsafe) let storage: JSONTextStorage

    init(storage: JSONTextStorage) {
        self.storage = storage
    }

    /// A copy of `bytes` with `index` (which must index exactly these bytes, or be empty).
    public init(_ bytes: [UInt8], index: JSONContainerIndex = JSONContainerIndex()) {
        self = bytes.withUnsafeBufferPointer { JSONText(copying: $0, index: index) }
    }

    /// A copy of `bytes` with `index` (which must index exactly these bytes, or be empty).
    public init(copying bytes: UnsafeBufferPointer<UInt8>, index: JSONContainerIndex = JSONContainerIndex()) {
        let storage = index.withUnsafePairs { pairs in
            JSONTextStorage.make(byteCount: bytes.count, pairCount: pairs.count) { target, targetPairs in
                if let source = bytes.baseAddress { target.baseAddress!.initialize(from: source, count: bytes.count) }
                if let source = pairs.baseAddress { targetPairs.baseAddress!.initialize(from: source, count: pairs.count) }
            }
        }
        self.init(storage: storage)
    }

    /// A copy of the container at `range` of `bytes` (a text `index` indexes), less the bytes
    /// of `cuts` (ascending, apart, inside `range`, each holding whole containers or none), with
    /// the part of the index that is left, positions made relative to the copy: how a pod is cut
    /// out of an event or a list, and narrowed to what its readers keep, in one copy.
    public init(copying range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, index: JSONContainerIndex, removing cuts: [Range<Int>] = []) {
        let storage = index.withUnsafePairs { pairs in
            let moves = JSONContainerIndex.Relocation(base: range.lowerBound, cuts: cuts)
            let inside = JSONContainerIndex.slots(inside: range, in: pairs)
            let kept = moves.survivingPairCount(of: inside, in: pairs)
            return JSONTextStorage.make(byteCount: range.count - moves.removed, pairCount: kept) { target, targetPairs in
                var into = target.baseAddress!, from = range.lowerBound
                for cut in cuts + [range.upperBound..<range.upperBound] {
                    into.initialize(from: bytes.baseAddress! + from, count: cut.lowerBound - from)
                    into += cut.lowerBound - from
                    from = cut.upperBound
                }
                moves.relocate(inside, of: pairs, into: targetPairs)
            }
        }
        self.init(storage: storage)
    }

    public var index: JSONContainerIndex { JSONContainerIndex(storedIn: self) }

    public func withUnsafeBufferPointer<Result, Failure>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        defer { withExtendedLifetime(storage) {} }
        return try body(storage.bytes)
    }

    /// The bytes the text and its index take in their block (which adds 32 bytes of header and
    /// malloc's rounding).
    public var storedByteCount: Int { storage.blockByteCount }

    /// Whether both are the very same block (not merely equal bytes).
    public func isSameStorage(as other: JSONText) -> Bool { storage === other.storage }
}

extension JSONText: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.byteCount }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < storage.byteCount, "JSONText index out of range")
        return withUnsafeBufferPointer { $0[position] }
    }

    public func withContiguousStorageIfAvailable<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        try withExtendedLifetime(storage) { try body(storage.bytes) }
    }
}

extension JSONText: Equatable {
    /// Equal bytes; the index is derived from them and takes no part.
    public static func == (a: JSONText, b: JSONText) -> Bool {
        a.storage === b.storage
            || a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
            }
    }
}

extension JSONText {
    /// A copy without the bytes of `cuts` (ascending, apart, each holding whole containers or
    /// none), with the index adjusted: containers inside a cut go, those after move back, those
    /// around one shrink.
    public func removing(_ cuts: [Range<Int>]) -> JSONText {
        withUnsafeBufferPointer { bytes in JSONText(copying: 0..<bytes.count, of: bytes, index: index, removing: cuts) }
    }
}
