#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One slab: a region mapped from the system, cut into slots of one size, with a stack of the
/// free ones. Used only under the lock of the `JSONSlabs` that owns it (hence unchecked).
final class JSONSlab: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    let slotSize: Int
    /// Slots handed out and not yet released.
    private(set) var used = 0
    /// Free slot numbers; the last one is handed out next.
    private var free: [Int32]
    /// Whether the slab is on its class's list of slabs with free slots.
    var isAvailable = true

    /// Maps a slab for `slotCount` slots of `slotSize` bytes; nil when the system refuses.
    init?(slotSize: Int, slotCount: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let byteCount = (slotSize * slotCount + page - 1) / page * page
        let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { return nil }
        base = mapped
        self.byteCount = byteCount
        self.slotSize = slotSize
        // Reversed, so slots are handed out from the start of the slab.
        free = (0..<Int32(byteCount / slotSize)).reversed()
    }

    deinit {
        munmap(base, byteCount)
    }

    var isFull: Bool { free.isEmpty }
    var isEmpty: Bool { used == 0 }

    /// A free slot; the slab must not be full.
    func take() -> UnsafeMutableRawPointer {
        used += 1
        return base + Int(free.removeLast()) * slotSize
    }

    func put(_ slot: UnsafeMutableRawPointer) {
        used -= 1
        free.append(Int32((slot - base) / slotSize))
    }
}
