import Kube
import Testing

@testable import Hooks

/// A standby's history (docs/leader-election.md, "Checkpoints and replay"): what it keeps after
/// the leader's checkpoint, how far back it reaches per watch, and what a takeover replays.
@Suite struct EventHistoryTests {
    func updated(_ name: String, _ rv: Int, namespace: String = "default") -> PodEvent {
        .update(pod(name, namespace: namespace, rv: rv - 1), pod(name, namespace: namespace, rv: rv), at: "\(rv)")
    }

    func listed(_ names: [String], at rv: Int) -> [PodEvent] {
        names.map { .add(pod($0, rv: rv - 1), initial: true, at: "\(rv)") }
    }

    func checkpoint(_ versions: [String: UInt64]) -> LeaseCheckpoint { LeaseCheckpoint(handledThrough: versions) }

    func versions(_ replay: EventHistory.Replay) -> [String] { replay.events.map { "\($0.pod.key.name)@\($0.resourceVersion)" } }

    @Test func aTakeoverReplaysExactlyTheEventsAfterTheCheckpointInOrderAndForgetsThem() {
        let history = EventHistory()
        history.record(listed(["a", "b"], at: 10), watch: "default", checkpoint: nil)
        for rv in 11...14 { history.record([updated(rv % 2 == 0 ? "a" : "b", rv)], watch: "default", checkpoint: nil) }
        let replay = history.takeOver(after: checkpoint(["default": 12]))
        #expect(versions(replay) == ["b@13", "a@14"])
        #expect(replay.pods == [PodKey(namespace: "default", name: "a"), PodKey(namespace: "default", name: "b")])
        #expect(replay.uncovered.isEmpty)
        #expect(replay.through == ["default": 14])
        #expect(history.size.events == 0)
        #expect(history.takeOver(after: checkpoint(["default": 12])).events.isEmpty)
    }

    @Test func aCheckpointReadAsAStandbyDropsWhatItSaysWasHandled() {
        let history = EventHistory()
        history.record(listed(["a"], at: 10), watch: "default", checkpoint: nil)
        history.record([updated("a", 11), updated("a", 12)], watch: "default", checkpoint: nil)
        // The list's adds are state, not changes: they are not kept.
        #expect(history.size.events == 2)
        history.record([updated("a", 13)], watch: "default", checkpoint: checkpoint(["default": 11]))
        #expect(history.size.events == 2)
        #expect(versions(history.takeOver(after: checkpoint(["default": 11]))) == ["a@12", "a@13"])
    }

    @Test func aHistoryCoversFromTheNewestPodOfItsFirstListNotFromTheListsVersion() {
        let history = EventHistory()
        // Listed at 30 (other objects moved the version); the pods last changed at 19 and 22.
        history.record([.add(pod("a", rv: 19), initial: true, at: "30"), .add(pod("b", rv: 22), initial: true, at: "30")], watch: "default", checkpoint: nil)
        history.record([updated("a", 31)], watch: "default", checkpoint: nil)
        let replay = history.takeOver(after: checkpoint(["default": 15]))
        #expect(replay.events.isEmpty && replay.pods.isEmpty)
        #expect(replay.uncovered.map(\.watch) == ["default"])
        #expect(replay.uncovered[0].reason == "the history reaches back to resource version 22, not to the checkpoint 15")
        history.record([.add(pod("a", rv: 19), initial: true, at: "30"), .add(pod("b", rv: 22), initial: true, at: "30")], watch: "default", checkpoint: nil)
        history.record([updated("a", 31)], watch: "default", checkpoint: nil)
        let covered = history.takeOver(after: checkpoint(["default": 22]))
        #expect(versions(covered) == ["a@31"])
        #expect(covered.through == ["default": 31])
    }

    @Test func withoutACheckpointOrForAWatchItDoesNotNameNothingIsReplayed() {
        let history = EventHistory()
        history.record([updated("a", 11)], watch: "default", checkpoint: nil)
        history.record([updated("x", 12, namespace: "other")], watch: "other", checkpoint: nil)
        #expect(history.takeOver(after: nil).uncovered.map(\.reason) == ["the lease carries no checkpoint", "the lease carries no checkpoint"])
        history.record(listed(["a"], at: 10), watch: "default", checkpoint: nil)
        history.record([updated("a", 11)], watch: "default", checkpoint: nil)
        history.record([updated("x", 12, namespace: "other")], watch: "other", checkpoint: nil)
        let replay = history.takeOver(after: checkpoint(["default": 10]))
        #expect(versions(replay) == ["a@11"])
        #expect(replay.uncovered.map(\.watch) == ["other"])
        #expect(replay.through == ["default": 11, "other": 12])
    }

    @Test func aRelistCutsTheHistoryItsChangesStandForEventsMissed() {
        let history = EventHistory()
        history.record(listed(["a"], at: 10), watch: "default", checkpoint: nil)
        history.record([updated("a", 11)], watch: "default", checkpoint: nil)
        history.relisting(watch: "default")
        // The relist's changes come at its version, 30: events between 11 and 30 were missed.
        history.record([updated("a", 30)], watch: "default", checkpoint: nil)
        history.record([updated("a", 31)], watch: "default", checkpoint: nil)
        #expect(history.takeOver(after: checkpoint(["default": 11])).uncovered.map(\.watch) == ["default"])
        history.record(listed(["a"], at: 10), watch: "default", checkpoint: nil)
        history.relisting(watch: "default")
        history.record([updated("a", 30)], watch: "default", checkpoint: nil)
        #expect(versions(history.takeOver(after: checkpoint(["default": 30]))).isEmpty)
    }

    @Test func pastItsBoundsTheOldestGoAndTheHistoryReachesBackOnlyThatFar() {
        let history = EventHistory(limits: EventHistory.Limits(events: 3, bytes: .max))
        history.record(listed(["a"], at: 10), watch: "default", checkpoint: nil)
        for rv in 11...14 { history.record([updated("a", rv)], watch: "default", checkpoint: nil) }
        #expect(history.size.events == 3)
        // 11 was dropped: it covers from 11 on.
        #expect(history.takeOver(after: checkpoint(["default": 10])).uncovered.map(\.watch) == ["default"])
        history.record(listed(["a"], at: 10), watch: "default", checkpoint: nil)
        for rv in 11...14 { history.record([updated("a", rv)], watch: "default", checkpoint: nil) }
        #expect(versions(history.takeOver(after: checkpoint(["default": 11]))) == ["a@12", "a@13", "a@14"])

        let small = EventHistory(limits: EventHistory.Limits(events: 100, bytes: 1))
        small.record([updated("a", 11)], watch: "default", checkpoint: nil)
        #expect(small.size.events == 0 && small.size.bytes == 0)
    }

    @Test func versionsThatAreNotNumbersMakeTheWatchUncovered() {
        let history = EventHistory()
        history.record([.update(pod("a", rv: 1), pod("a", rv: 2), at: "abc")], watch: "default", checkpoint: nil)
        #expect(history.takeOver(after: checkpoint(["default": 1])).uncovered.map(\.reason) == ["its resource versions are not numbers"])
    }
}

/// The leader's side: the checkpoint advances per watch over deliveries every hook that took
/// them has released, never past one that is not.
@Suite struct CheckpointTrackerTests {
    @Test func aWatchAdvancesOverDeliveriesReleasedAndStopsAtTheFirstThatIsNot() {
        let ledger = BacklogLedger(bound: nil)
        let one = ledger.account("one"), two = ledger.account("two")
        let tracker = CheckpointTracker()
        tracker.reset(from: LeaseCheckpoint(handledThrough: ["default": 5, "gone": 3]))
        let first = one.reserve(1, at: 0), second = two.reserve(1, at: 0)
        tracker.handedOver(through: ["default": 10], holds: [.init(account: one, batch: first), .init(account: two, batch: second)], at: 0)
        let third = one.reserve(1, at: 0)
        tracker.handedOver(through: ["default": 11], holds: [.init(account: one, batch: third)], at: 1)
        tracker.handedOver(through: ["other": 12], holds: [], at: 2)
        // Nothing of default released: it stays at the predecessor's; other took nothing.
        #expect(tracker.checkpoint().handledThrough == ["default": 5, "gone": 3, "other": 12])
        #expect(tracker.oldestUnfinished == 0)
        // One hook finished both; the other not the first: default does not move.
        one.release(batch: first)
        one.release(batch: third)
        #expect(tracker.checkpoint().handledThrough["default"] == 5)
        two.release(batch: second)
        #expect(tracker.checkpoint().handledThrough == ["default": 11, "gone": 3, "other": 12])
        #expect(tracker.oldestUnfinished == nil)
    }

    @Test func aLaterBatchReleasedFirstDoesNotCountUntilTheEarlierOneIs() {
        let ledger = BacklogLedger(bound: nil)
        let hook = ledger.account("hook")
        let tracker = CheckpointTracker()
        tracker.reset(from: nil)
        let early = hook.reserve(1, at: 0), late = hook.reserve(1, at: 0)
        tracker.handedOver(through: ["": 20], holds: [.init(account: hook, batch: early)], at: 0)
        tracker.handedOver(through: ["": 21], holds: [.init(account: hook, batch: late)], at: 0)
        hook.release(batch: late)
        #expect(tracker.checkpoint().handledThrough.isEmpty)
        hook.release(batch: early)
        #expect(tracker.checkpoint().handledThrough == ["": 21])
    }

    @Test func theFirstListsDeliveriesCountOnlyOnceTheWorldHandedAtTheSyncIsHandled() {
        let ledger = BacklogLedger(bound: nil)
        let hook = ledger.account("hook"), other = ledger.account("other")
        let tracker = CheckpointTracker()
        tracker.reset(from: nil)
        // The list's events: the waiting version takes none, another version of the scope one.
        let taken = other.reserve(1, at: 0)
        tracker.handedOverBeforeWorld(watch: "default", through: 40, holds: [.init(account: other, batch: taken)])
        tracker.handedOverBeforeWorld(watch: "other", through: 41, holds: [])
        #expect(tracker.checkpoint().handledThrough.isEmpty)
        let world = hook.reserve(3, at: 0)
        tracker.worldsHandedOver(watch: "default", holds: [.init(account: hook, batch: world)], at: 0)
        other.release(batch: taken)
        #expect(tracker.checkpoint().handledThrough.isEmpty, "the world is not handled yet")
        hook.release(batch: world, count: 3)
        // Only the watch whose world was handed: the other still waits for its own.
        #expect(tracker.checkpoint().handledThrough == ["default": 40])
    }

    @Test func theAnnotationRoundTripsAndRefusesWhatIsNotVersions() {
        let checkpoint = LeaseCheckpoint(handledThrough: ["": 7, "team-a": 12])
        #expect(checkpoint.annotationValue == #"{"":"7","team-a":"12"}"#)
        #expect(LeaseCheckpoint(annotation: checkpoint.annotationValue) == checkpoint)
        #expect(LeaseCheckpoint(annotation: #"{"a":"x"}"#) == nil)
        #expect(LeaseCheckpoint(annotation: "not json") == nil)
    }
}
