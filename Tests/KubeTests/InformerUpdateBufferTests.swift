import Testing
@testable import Kube

@Suite struct InformerUpdateBufferTests {
    @Test func deliversInOrderCountsTheBacklogAndDrainsAfterFinish() async {
        let buffer = InformerUpdateBuffer()
        let updates: [InformerUpdate] = [.events([.add(pod("a", rv: "1"), at: "1")]), .synced(PodQuery()), .events([])]
        updates.forEach(buffer.deliver)
        #expect(buffer.backlog == 3)
        buffer.finish()
        var consumed: [InformerUpdate] = []
        for await update in buffer { consumed.append(update) }
        #expect(consumed == updates)
        #expect(buffer.backlog == 0)
    }
}
