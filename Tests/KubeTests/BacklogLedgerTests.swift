import Testing

@testable import Kube

/// The one backlog count consumers reserve in and reflectors wait on. (Its effect on a real
/// watch is tested end to end with a blocked hook in HooksTests.)
@Suite(.timeLimit(.minutes(1)))
struct BacklogLedgerTests {
    @Test func reservationsFillItAndReleasesMakeRoom() {
        let ledger = BacklogLedger(bound: 3)
        let account = ledger.account("a")
        #expect(ledger.hasRoom)
        let first = account.reserve(2, at: 10)
        #expect(ledger.hasRoom)
        // A whole list is reserved at once, past the bound.
        let second = account.reserve(5, at: 20)
        #expect(!ledger.hasRoom && ledger.outstanding == 7 && account.count == 7)
        account.release(batch: second, count: 4)
        #expect(!ledger.hasRoom)
        account.release(batch: first)
        #expect(ledger.hasRoom && ledger.outstanding == 2)
    }

    @Test func accountsAddUpAndEachKnowsItsOldestUnfinishedBatch() {
        let ledger = BacklogLedger(bound: nil)
        let a = ledger.account("a"), b = ledger.account("b")
        let early = a.reserve(2, at: 100), late = a.reserve(1, at: 200)
        _ = b.reserve(4, at: 150)
        #expect(ledger.outstanding == 7 && a.count == 3 && b.count == 4)
        #expect(a.oldestSince == 100)
        a.release(batch: early)
        #expect(a.oldestSince == 100, "one of the first batch is left")
        a.release(batch: early)
        #expect(a.oldestSince == 200)
        a.release(batch: late)
        #expect(a.oldestSince == nil && a.count == 0 && ledger.outstanding == 4)
        b.releaseOldest(4)
        #expect(ledger.outstanding == 0 && b.oldestSince == nil)
        #expect(ledger.hasRoom, "no bound: always room")
    }

    @Test func waitingReturnsOnceBelowTheBound() async {
        let ledger = BacklogLedger(bound: 2)
        let account = ledger.account("a")
        await ledger.waitForRoom()  // room: returns at once
        let batch = account.reserve(3, at: 0)
        let waiter = Task {
            await ledger.waitForRoom()
            return ledger.outstanding
        }
        account.release(batch: batch)
        #expect(!ledger.hasRoom)
        account.release(batch: batch)
        // Whenever it waited, it returned with the count below the bound.
        #expect(await waiter.value < 2)
    }

    @Test func aCancelledWaitReturns() async {
        let ledger = BacklogLedger(bound: 1)
        _ = ledger.account("a").reserve(1, at: 0)
        let waiter = Task { await ledger.waitForRoom() }
        waiter.cancel()
        await waiter.value
        #expect(!ledger.hasRoom, "it returned without room: cancelled")
    }
}
