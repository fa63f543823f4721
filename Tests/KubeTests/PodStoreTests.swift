import Testing

@testable import Kube

@Suite struct PodStoreTests {
    @Test func eventMappingIsDecidedByTheCache() {
        var store = PodStore()
        #expect(store.apply(.modified(pod("a", rv: "1"))) == [.add(pod("a", rv: "1"), at: "1")])
        #expect(store.apply(.added(pod("a", rv: "2"))) == [.update(pod("a", rv: "1"), pod("a", rv: "2"), at: "2")])
        #expect(store.apply(.added(pod("a", rv: "2"))) == [])
        #expect(store.apply(.deleted(pod("zzz", rv: "3"))) == [])
        #expect(store.apply(.deleted(pod("a", rv: "4"))) == [.delete(pod("a", rv: "4"), tombstone: false, at: "4")])
        #expect(store.count == 0)
    }

    @Test func aNewUIDUnderAKnownNameIsADeleteThenAnAdd() {
        var store = PodStore()
        _ = store.apply(.added(pod("a", uid: "old", rv: "1")))
        #expect(store.apply(.added(pod("a", uid: "new", rv: "5"))) == [
            .delete(pod("a", uid: "old", rv: "1"), tombstone: true, at: "5"), .add(pod("a", uid: "new", rv: "5"), at: "5"),
        ])
    }

    @Test func aDeleteOfAnotherUIDTombstonesThePodHeld() {
        var store = PodStore()
        _ = store.apply(.added(pod("a", uid: "seen", rv: "1")))
        #expect(store.apply(.deleted(pod("a", uid: "unseen", rv: "6"))) == [.delete(pod("a", uid: "seen", rv: "1"), tombstone: true, at: "6")])
        #expect(store.count == 0)
    }

    @Test func theFirstListAddsEveryPodAsInitial() {
        var store = PodStore()
        let events = store.replace(with: [pod("a", rv: "1"), pod("b", uid: "u2", rv: "2")], at: "10", initial: true)
        #expect(events == [.add(pod("a", rv: "1"), initial: true, at: "10"), .add(pod("b", uid: "u2", rv: "2"), initial: true, at: "10")])
    }

    @Test func aRelistReconcilesWhatWasMissed() {
        var store = PodStore()
        _ = store.replace(
            with: [pod("same", rv: "1"), pod("changed", uid: "u2", rv: "2"), pod("gone", uid: "u3", rv: "3"), pod("recreated", uid: "u4", rv: "4")],
            at: "4", initial: true)
        let events = store.replace(
            with: [pod("same", rv: "1"), pod("changed", uid: "u2", rv: "8", phase: "Running"), pod("recreated", uid: "u9", rv: "9"), pod("new", uid: "u5", rv: "7")],
            at: "9", initial: false)
        #expect(events == [
            .delete(pod("gone", uid: "u3", rv: "3"), tombstone: true, at: "9"),
            .update(pod("changed", uid: "u2", rv: "2"), pod("changed", uid: "u2", rv: "8", phase: "Running"), at: "9"),
            .delete(pod("recreated", uid: "u4", rv: "4"), tombstone: true, at: "9"),
            .add(pod("recreated", uid: "u9", rv: "9"), at: "9"),
            .add(pod("new", uid: "u5", rv: "7"), at: "9"),
        ])
        #expect(store.count == 4)
    }
}

@Suite struct BackoffTests {
    @Test func delaysDoubleUpToTheCapWithFullJitterAndResetAfterQuiet() {
        var backoff = Backoff()
        let start = ContinuousClock.now
        let delays = (0..<8).map { backoff.nextDelay(now: start + .seconds($0), random: 0) }
        #expect(delays == [.milliseconds(800), .milliseconds(1600), .milliseconds(3200), .milliseconds(6400), .milliseconds(12800), .milliseconds(25600), .seconds(30), .seconds(30)])
        #expect(backoff.nextDelay(now: start + .seconds(9), random: 0.5) == .seconds(45))
        #expect(backoff.nextDelay(now: start + .seconds(9 + 120), random: 0) == .milliseconds(800))
    }
}
