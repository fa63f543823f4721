#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where the blocks of long-lived JSON texts (`JSONText`: the pod versions an informer caches)
/// are kept: slabs mapped from the system apart from malloc's heap, cut into slots of a few
/// size classes. Measured with glibc (BENCHMARKS.md, "Pod storage"): each pod update allocated
/// the new version's blocks while the old one lived on until every hook had handled the event,
/// so in malloc's heap new and freed blocks interleaved with everything else's small blocks and
/// tens of MB stayed resident that nothing used. Here a freed slot goes back to its size class
/// and the next version of a pod of about that size takes it; a slab whose slots are all free
/// is unmapped (one per class is kept, so a class that empties and fills again does not map
/// and unmap in turn).
///
/// Blocks larger than `largestSlot` go to malloc: they are rare and would waste slab space.
public final class JSONSlabs: Sendable {
    /// The process's slabs, which every `JSONText` uses.
    public static let shared = JSONSlabs()

    /// Slots are at most this large; larger blocks are malloc's.
    public static let largestSlot = 256 << 10
    /// A slab holds at least this many bytes of slots (fewer system calls per slot).
    static let smallestSlab = 64 << 10

    private let classes = Mutex<[Int: JSONSlabClass]>([:])

    init() {}

    /// A block of at least `byteCount` bytes (at least 1), aligned for `UInt32`. Release it with
    /// `release` when done.
    func allocate(_ byteCount: Int) -> JSONSlabBlock {
        let size = Self.slotSize(for: max(1, byteCount))
        guard size <= Self.largestSlot else {
            return JSONSlabBlock(base: .allocate(byteCount: byteCount, alignment: 16), slab: nil)
        }
        return classes.withLock { classes in
            if let sizeClass = classes[size] { return sizeClass.allocate() }
            let sizeClass = JSONSlabClass(slotSize: size)
            classes[size] = sizeClass
            return sizeClass.allocate()
        }
    }

    func release(_ block: JSONSlabBlock) {
        guard let slab = block.slab else {
            block.base.deallocate()
            return
        }
        classes.withLock { classes in classes[slab.slotSize]?.release(block.base, from: slab) }
    }

    /// What the slabs hold now: their mapped bytes and the bytes of their slots in use.
    public var usage: JSONSlabUsage {
        classes.withLock { classes in
            classes.values.reduce(into: JSONSlabUsage()) { usage, sizeClass in
                for slab in sizeClass.slabs {
                    usage.slabs += 1
                    usage.mappedBytes += slab.byteCount
                    usage.slotsInUse += slab.used
                    usage.bytesInUse += slab.used * slab.slotSize
                }
            }
        }
    }

    /// The slot size for a block of `byteCount` bytes: multiples of 64 bytes up to 1 KiB, then
    /// sixteen sizes per doubling, so a slot wastes at most a sixteenth of itself.
    static func slotSize(for byteCount: Int) -> Int {
        guard byteCount > 1024 else { return (byteCount + 63) & ~63 }
        let power = 1 << (Int.bitWidth - 1 - (byteCount - 1).leadingZeroBitCount)
        let step = power / 16
        return (byteCount + step - 1) / step * step
    }
}

/// Bytes of the slabs, for the benchmark and tests.
public struct JSONSlabUsage: Sendable, Equatable {
    public var slabs = 0
    public var mappedBytes = 0
    public var slotsInUse = 0
    public var bytesInUse = 0

    public init() {}
}

/// One block: a slot of `slab`, or a malloc'd block when `slab` is nil.
struct JSONSlabBlock: @unchecked Sendable {
    // The slab is only read or changed under the owning `JSONSlabs`'s lock.
    let base: UnsafeMutableRawPointer
    let slab: JSONSlab?
}
