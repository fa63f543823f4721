/// The one block of a `JSONText`: the bytes, then (at the next multiple of four) the container
/// index's (start, end) pairs. Immutable once made; the block goes back to `JSONSlabs` when the
/// last reference goes (the cache dropped the version and every Lua document holding it was
/// collected).
final class JSONTextStorage: @unchecked Sendable {
    // Written only while it is made (`init`'s `fill`), then only read.
    private let block: JSONSlabBlock
    private let slabs: JSONSlabs
    let byteCount: Int
    /// UInt32s of the index (two per container).
    let pairCount: Int

    /// A block for `byteCount` bytes and `pairCount` index entries, which `fill` writes.
    init(
        byteCount: Int, pairCount: Int, in slabs: JSONSlabs = .shared,
        fill: (UnsafeMutableBufferPointer<UInt8>, UnsafeMutableBufferPointer<UInt32>) -> Void
    ) {
        block = slabs.allocate(Self.pairsOffset(byteCount) + 4 * pairCount)
        self.slabs = slabs
        self.byteCount = byteCount
        self.pairCount = pairCount
        fill(
            UnsafeMutableBufferPointer(start: block.base.bindMemory(to: UInt8.self, capacity: byteCount), count: byteCount),
            UnsafeMutableBufferPointer(start: (block.base + Self.pairsOffset(byteCount)).bindMemory(to: UInt32.self, capacity: pairCount), count: pairCount))
    }

    deinit {
        slabs.release(block)
    }

    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: block.base.assumingMemoryBound(to: UInt8.self), count: byteCount)
    }

    var pairs: UnsafeBufferPointer<UInt32> {
        UnsafeBufferPointer(start: (block.base + Self.pairsOffset(byteCount)).assumingMemoryBound(to: UInt32.self), count: pairCount)
    }

    /// The bytes the block was asked for (the slot holding it may be up to a sixteenth larger).
    var blockByteCount: Int { Self.pairsOffset(byteCount) + 4 * pairCount }

    private static func pairsOffset(_ byteCount: Int) -> Int { (byteCount + 3) & ~3 }
}
