/// The one heap block of a `JSONText`: the object header, the counts, the bytes, then (at the
/// next multiple of four) the container index's (start, end) pairs. One allocation of exactly
/// the text's size per version, where a byte array and an index array took two (and the
/// index's own array header). Immutable once made; freed with the last reference (the cache
/// dropped the version and every Lua document holding it was collected).
final class JSONTextStorage: ManagedBuffer<JSONTextStorage.Counts, UInt8> {
    // Written only while it is made (`make`'s `fill`), then only read.
    struct Counts {
        let byteCount: Int
        /// UInt32s of the index (two per container).
        let pairCount: Int
    }

    /// A block for `byteCount` bytes and `pairCount` index entries, which `fill` writes.
    static func make(
        byteCount: Int, pairCount: Int, fill: (UnsafeMutableBufferPointer<UInt8>, UnsafeMutableBufferPointer<UInt32>) -> Void
    ) -> JSONTextStorage {
        let buffer = create(minimumCapacity: pairsOffset(byteCount) + 4 * pairCount) { _ in
            Counts(byteCount: byteCount, pairCount: pairCount)
        }
        let storage = unsafeDowncast(buffer, to: JSONTextStorage.self)
        storage.withUnsafeMutablePointerToElements { elements in
            // The elements start 8-aligned (after the counts), so the pairs are 4-aligned.
            let pairs = UnsafeMutableRawPointer(elements + pairsOffset(byteCount)).bindMemory(to: UInt32.self, capacity: pairCount)
            fill(UnsafeMutableBufferPointer(start: elements, count: byteCount), UnsafeMutableBufferPointer(start: pairs, count: pairCount))
        }
        return storage
    }

    /// The bytes; valid while the storage is alive.
    var bytes: UnsafeBufferPointer<UInt8> {
        withUnsafeMutablePointerToElements { UnsafeBufferPointer(start: $0, count: header.byteCount) }
    }

    /// The index's pairs; valid while the storage is alive.
    var pairs: UnsafeBufferPointer<UInt32> {
        withUnsafeMutablePointerToElements { elements in
            UnsafeBufferPointer(
                start: UnsafeRawPointer(elements + Self.pairsOffset(header.byteCount)).assumingMemoryBound(to: UInt32.self),
                count: header.pairCount)
        }
    }

    var byteCount: Int { header.byteCount }
    var pairCount: Int { header.pairCount }

    /// The bytes of text and index together (the block adds the object's header and counts, 32
    /// bytes, and malloc's rounding).
    var blockByteCount: Int { Self.pairsOffset(header.byteCount) + 4 * header.pairCount }

    private static func pairsOffset(_ byteCount: Int) -> Int { (byteCount + 3) & ~3 }
}
