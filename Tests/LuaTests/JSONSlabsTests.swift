import FakeAPIServer
import Testing

@testable import JSONBytes
@testable import Lua

/// `JSONSlabs` and `JSONText`: the storage of cached pod versions. Each test uses slabs of its
/// own, so the figures it reads are its own (the process's shared slabs serve every test).
@Suite struct JSONSlabsTests {
    @Test func slotsWasteAtMostASixteenthOfThemselves() {
        for size in Array(1...5000) + Array(stride(from: 5001, through: JSONSlabs.largestSlot, by: 977)) {
            let slot = JSONSlabs.slotSize(for: size)
            #expect(slot >= size)
            #expect(slot - size < max(64, slot / 16), "\(size) bytes got a slot of \(slot)")
        }
        // Pods a few bytes apart share a size class, so an update reuses its predecessor's slot.
        #expect(JSONSlabs.slotSize(for: 6118) == JSONSlabs.slotSize(for: 6140))
    }

    @Test func aFreedSlotIsTakenByTheNextBlockOfItsSize() {
        let slabs = JSONSlabs()
        let first = slabs.allocate(6000)
        let other = slabs.allocate(300)
        slabs.release(first)
        let next = slabs.allocate(6100)
        #expect(next.base == first.base)
        #expect(other.base != first.base)
        #expect(slabs.usage.slotsInUse == 2)
        slabs.release(next)
        slabs.release(other)
        #expect(slabs.usage.slotsInUse == 0)
    }

    @Test func aSlabWhoseSlotsAreAllFreeIsUnmappedButOnePerSizeStays() {
        let slabs = JSONSlabs()
        var blocks: [JSONSlabBlock] = []
        while slabs.usage.slabs < 3 { blocks.append(slabs.allocate(7000)) }
        let full = slabs.usage
        #expect(full.slotsInUse == blocks.count)
        #expect(full.mappedBytes >= full.bytesInUse)
        for block in blocks { slabs.release(block) }
        let empty = slabs.usage
        #expect(empty.slabs == 1)
        #expect(empty.slotsInUse == 0 && empty.bytesInUse == 0)
        #expect(empty.mappedBytes < full.mappedBytes)
    }

    @Test func blocksLargerThanTheLargestSlotComeFromMalloc() throws {
        let slabs = JSONSlabs()
        let block = slabs.allocate(JSONSlabs.largestSlot + 1)
        #expect(block.slab == nil)
        #expect(slabs.usage == JSONSlabUsage())
        slabs.release(block)
        // A big text keeps its bytes and index all the same.
        let bytes = Array(("[\"" + String(repeating: "y", count: 300 << 10) + "\",{\"a\":[1]}]").utf8)
        let text = JSONText(bytes, index: PlainContainerIndex.of(bytes))
        #expect(Array(text) == bytes)
        #expect(text.index == PlainContainerIndex.of(bytes))
        #expect(text.index.end(ofContainerAt: 0) == bytes.count)
    }

    @Test func aTextKeepsItsSlotUntilItsLastReferenceGoesIncludingLuas() throws {
        let slabs = JSONSlabs()
        let bytes = Array(#"{"metadata":{"name":"p","labels":{"app":"web"}},"status":{"phase":"Running"}}"#.utf8)
        var text: JSONText? = bytes.withUnsafeBufferPointer { JSONText(copying: $0, index: PlainContainerIndex.of(bytes), in: slabs) }
        var copy = text
        #expect(slabs.usage.slotsInUse == 1)
        text = nil
        #expect(slabs.usage.slotsInUse == 1)
        // A pushed document references the block: no copy, and it holds the slot until Lua
        // collects it.
        let state = try LuaState()
        try state.pushLazyJSON(try #require(copy))
        state.setGlobal("pod")
        copy = nil
        #expect(slabs.usage.slotsInUse == 1)
        try state.load("return pod.status.phase .. pod.metadata.labels.app", chunkName: "read")
        try state.call(resultCount: 1)
        #expect(try state.value(at: -1) == "Runningweb")
        try state.load("pod = nil collectgarbage() collectgarbage()", chunkName: "drop")
        try state.call()
        #expect(slabs.usage.slotsInUse == 0)
    }

    @Test func aContainerCutOutOfATextCarriesItsOwnPartOfTheIndex() {
        let event = Array(#"{"type":"MODIFIED","object":{"metadata":{"name":"p"},"spec":{"c":[1,2]}}}"#.utf8)
        let index = PlainContainerIndex.of(event)
        let range = event.firstRange(of: Array(#""object":"#.utf8))!.upperBound..<(event.count - 1)
        let text = event.withUnsafeBufferPointer { JSONText(copying: range, of: $0, index: index) }
        let object = Array(event[range])
        #expect(Array(text) == object)
        #expect(text.index == PlainContainerIndex.of(object))
        // Without the stripped member, exactly: bytes and index as if the shorter text were framed.
        let cut = text.withUnsafeBufferPointer { $0.firstRange(of: #","spec":{"c":[1,2]}"#.utf8)! }
        let shorter = text.removing(cut)
        #expect(Array(shorter) == Array(#"{"metadata":{"name":"p"}}"#.utf8))
        #expect(shorter.index == PlainContainerIndex.of(Array(shorter)))
    }
}
