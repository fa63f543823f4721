import Testing

@testable import Kube

/// The counter reflectors and consumers share. (Its effect on a real watch is tested end to end
/// with a blocked hook in HooksTests.)
@Suite(.timeLimit(.minutes(1)))
struct BackpressureTests {
    @Test func reservationsFillItAndReleasesMakeRoom() {
        let backpressure = Backpressure(bound: 3)
        #expect(backpressure.hasRoom)
        backpressure.reserve(2)
        #expect(backpressure.hasRoom)
        // A whole list is reserved at once, past the bound.
        backpressure.reserve(5)
        #expect(!backpressure.hasRoom && backpressure.outstanding == 7)
        backpressure.release(4)
        #expect(!backpressure.hasRoom)
        backpressure.release(1)
        #expect(backpressure.hasRoom && backpressure.outstanding == 2)
    }

    @Test func waitingReturnsOnceBelowTheBound() async {
        let backpressure = Backpressure(bound: 2)
        await backpressure.waitForRoom()  // room: returns at once
        backpressure.reserve(3)
        let waiter = Task {
            await backpressure.waitForRoom()
            return backpressure.outstanding
        }
        backpressure.release(1)
        #expect(!backpressure.hasRoom)
        backpressure.release(1)
        // Whenever it waited, it returned with the count below the bound.
        #expect(await waiter.value < 2)
    }

    @Test func aCancelledWaitReturns() async {
        let backpressure = Backpressure(bound: 1)
        backpressure.reserve(1)
        let waiter = Task { await backpressure.waitForRoom() }
        waiter.cancel()
        await waiter.value
        #expect(!backpressure.hasRoom, "it returned without room: cancelled")
    }
}
