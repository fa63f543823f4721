import ContainerIndexOracle
import Testing

@testable import JSONBytes
@testable import Lua

/// `JSONText`: a cached pod version's bytes and container index in one block, shared by the
/// cache and the Lua documents hooks read, freed with the last reference.
@Suite struct JSONTextTests {
    static let pod = Array(#"{"metadata":{"name":"p","labels":{"app":"web","tier":"front-end-tier"}},"status":{"phase":"Running"}}"#.utf8)

    @Test func oneBlockHoldsTheBytesAndTheIndex() {
        let index = PlainContainerIndex.of(Self.pod)
        let text = JSONText(Self.pod, index: index)
        #expect(Array(text) == Self.pod)
        #expect(text.index == index)
        #expect(text.index.isStored(in: text))
        #expect(!index.isStored(in: text))
        #expect(text.storedByteCount == (Self.pod.count + 3) / 4 * 4 + 4 * index.pairs.count)
        #expect(text == JSONText(Self.pod))
        #expect(text != JSONText(Array(Self.pod.dropLast())))
    }

    @Test func theBlockIsFreedWithTheLastReferenceIncludingLuas() throws {
        var text: JSONText? = JSONText(Self.pod, index: PlainContainerIndex.of(Self.pod))
        weak let block = text?.storage
        var copy = text
        text = nil
        #expect(block != nil)
        do {
            let state = try LuaState()
            try state.pushLazyJSON(try #require(copy))
            state.setGlobal("pod")
            copy = nil
            // Only Lua's document holds it now: no copy was made, and it reads the block.
            #expect(block != nil)
            try state.load("return pod.status.phase .. pod.metadata.labels.app", chunkName: "read")
            try state.call(resultCount: 1)
            #expect(try state.value(at: -1) == "Runningweb")
        }
        // The state closed: its documents were finalized, and the block went with the last one.
        #expect(block == nil)
    }

    @Test func pushingATextWithItsOwnIndexCopiesNothingAndAnotherIndexIsCopiedWithIt() {
        let text = JSONText(Self.pod, index: PlainContainerIndex.of(Self.pod))
        #expect(LuaState.text(text, index: text.index).isSameStorage(as: text))
        let partial = PlainContainerIndex.of(Self.pod, shortestIndexed: 40)
        let other = LuaState.text(text, index: partial)
        #expect(!other.isSameStorage(as: text))
        #expect(other == text)
        #expect(other.index == partial)
    }

    @Test func aBigTextKeepsItsBytesAndIndex() {
        let bytes = Array(("[\"" + String(repeating: "y", count: 300 << 10) + "\",{\"a\":[1,{\"b\":[]}]}]").utf8)
        let text = JSONText(bytes, index: PlainContainerIndex.of(bytes))
        #expect(Array(text) == bytes)
        #expect(text.index == PlainContainerIndex.of(bytes))
        #expect(text.index.end(ofContainerAt: 0) == bytes.count)
    }

    @Test func aContainerCutOutOfATextCarriesItsOwnPartOfTheIndexAndCutsAreExact() {
        let event = Array(#"{"type":"MODIFIED","object":{"metadata":{"name":"p"},"spec":{"c":[1,2]}}}"#.utf8)
        let range = event.firstRange(of: Array(#""object":"#.utf8))!.upperBound..<(event.count - 1)
        let text = event.withUnsafeBufferPointer { JSONText(copying: range, of: $0, index: PlainContainerIndex.of(event)) }
        let object = Array(event[range])
        #expect(Array(text) == object)
        #expect(text.index == PlainContainerIndex.of(object))
        // A member removed: bytes and index exactly those of the shorter text.
        let cut = text.withUnsafeBufferPointer { $0.firstRange(of: #","spec":{"c":[1,2]}"#.utf8)! }
        let shorter = text.removing([cut])
        #expect(Array(shorter) == Array(#"{"metadata":{"name":"p"}}"#.utf8))
        #expect(shorter.index == PlainContainerIndex.of(Array(shorter)))
    }
}
