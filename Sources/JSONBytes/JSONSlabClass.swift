/// The slabs of one slot size. Slots are taken from the slab that last had one freed (or
/// was last mapped), so reuse stays within few slabs.
final class JSONSlabClass {
    let slotSize: Int
    private let slotsPerSlab: Int
    private(set) var slabs: [JSONSlab] = []
    /// Slabs with a free slot.
    private var available: [JSONSlab] = []

    init(slotSize: Int) {
        self.slotSize = slotSize
        slotsPerSlab = max(8, (JSONSlabs.smallestSlab + slotSize - 1) / slotSize)
    }

    func allocate() -> JSONSlabBlock {
        if available.isEmpty {
            guard let slab = JSONSlab(slotSize: slotSize, slotCount: slotsPerSlab) else {
                // No mapping to be had: malloc's heap, as for a large block.
                return JSONSlabBlock(base: .allocate(byteCount: slotSize, alignment: 16), slab: nil)
            }
            slabs.append(slab)
            available.append(slab)
        }
        let slab = available[available.count - 1]
        let slot = slab.take()
        if slab.isFull {
            slab.isAvailable = false
            available.removeLast()
        }
        return JSONSlabBlock(base: slot, slab: slab)
    }

    func release(_ slot: UnsafeMutableRawPointer, from slab: JSONSlab) {
        slab.put(slot)
        if !slab.isAvailable {
            slab.isAvailable = true
            available.append(slab)
        } else if slab.isEmpty, available.count > 1 {
            // Unmapped once nothing references it (the slab leaves both lists).
            available.removeAll { $0 === slab }
            slabs.removeAll { $0 === slab }
        }
    }
}
