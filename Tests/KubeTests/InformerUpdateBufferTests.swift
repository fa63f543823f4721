import Testing
@testable import Kube

@Suite(.timeLimit(.minutes(1))) struct InformerUpdateBufferTests {
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

    @Test func aConsumerTakesEverythingWaitingAtOnceAndWaitsWhenThereIsNothing() async {
        let buffer = InformerUpdateBuffer()
        buffer.deliver(.events([.add(pod("a", rv: "1"), at: "1")]))
        buffer.deliver(.synced(PodQuery()))
        #expect(await buffer.nextBatch()?.count == 2)
        #expect(buffer.backlog == 0)
        // Nothing waits now: the consumer waits until the next delivery.
        let next = Task { await buffer.nextBatch() }
        buffer.deliver(.events([.add(pod("b", rv: "2"), at: "2")]))
        #expect(await next.value == [.events([.add(pod("b", rv: "2"), at: "2")])])
        let last = Task { await buffer.nextBatch() }
        buffer.finish()
        #expect(await last.value == nil)
    }
}
