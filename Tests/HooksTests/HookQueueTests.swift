import Kube
import Testing

@testable import Hooks
@testable import JSONBytes

/// The hook queue's decisions (`docs/hooks.md`), without I/O or a clock: exact action sequences
/// for each situation. The same semantics are exercised over HTTP through the daemon in
/// `HookSettingsDaemonTests`.
@Suite struct HookQueueTests {
    static let second: UInt64 = 1_000_000_000
    let a = PodKey(namespace: "default", name: "a"), b = PodKey(namespace: "default", name: "b")
    let c = PodKey(namespace: "default", name: "c"), d = PodKey(namespace: "default", name: "d")

    func added(_ name: String, rv: Int, phase: String? = "Pending") -> PodEvent {
        .add(pod(name, rv: rv, phase: phase), at: "\(rv)")
    }

    func updated(_ name: String, from: Int, to: Int, phases: (String, String) = ("Pending", "Pending")) -> PodEvent {
        .update(pod(name, rv: from, phase: phases.0), pod(name, rv: to, phase: phases.1), at: "\(to)")
    }

    func deleted(_ name: String, rv: Int) -> PodEvent {
        .delete(pod(name, rv: rv), tombstone: false, at: "\(rv)")
    }

    /// Runs calls as a worker would, each succeeding, until none is left; returns the resource versions run.
    func drain(_ queue: inout HookQueue, now: UInt64 = 0) -> [String] {
        var ran: [String] = []
        while let call = queue.next() {
            ran.append("\(call.podKey.name)@\(call.queued.pod.resourceVersion)")
            _ = queue.finished(call.podKey, .succeeded, now: now)
        }
        return ran
    }

    @Test func eventsRunInOrderPerPodWithPodsTakingTurnsAndEachIsReleasedOnce() {
        var queue = HookQueue()
        #expect(queue.handOver([added("a", rv: 1), added("b", rv: 2), updated("a", from: 1, to: 3)], batch: 0, now: 0) == [.startWorker])
        let first = queue.next()!
        #expect(first.podKey == a && first.queued.kind == .add)
        #expect(queue.finished(a, .succeeded, now: 0) == [.release(batch: 0), .keepWorking])
        // a's next event goes behind b: pods take turns.
        #expect(queue.next()!.podKey == b)
        #expect(queue.finished(b, .succeeded, now: 0) == [.release(batch: 0), .keepWorking])
        #expect(queue.next()!.queued.pod.resourceVersion == "3")
        #expect(queue.finished(a, .succeeded, now: 0) == [.release(batch: 0), .keepWorking])
        #expect(queue.next() == nil)
        #expect(queue.isIdle && queue.count == 0)
    }

    /// A finished event's pod versions are let go at once, also while other pods still wait for
    /// their turn: with a backlog at its bound, anything the turn kept of finished calls would
    /// hold thousands of old versions alive.
    @Test func aFinishedEventsPodVersionsAreLetGoWhileOtherPodsWait() {
        var queue = HookQueue()
        weak var oldText: JSONTextStorage?, newText: JSONTextStorage?
        do {
            let first = updated("a", from: 1, to: 2)
            (oldText, newText) = (first.old?.json.storage, first.pod.json.storage)
            _ = queue.handOver([first, updated("b", from: 3, to: 4), updated("c", from: 5, to: 6)], batch: 0, now: 0)
        }
        let taken = { (queue: inout HookQueue) in queue.next(upTo: 2).map(\.podKey) }(&queue)
        #expect(taken == [a, b])
        for pod in taken { _ = queue.finished(pod, .succeeded, now: 0) }
        #expect(oldText == nil && newText == nil, "a's event is finished: nothing keeps its versions")
        #expect(drain(&queue) == ["c@6"])
    }

    /// A burst larger than what the queue keeps storage for (a list's initial adds) runs whole
    /// and in order, and the queue, emptied and made small again, runs what comes next.
    @Test func aQueueEmptiedAfterABurstRunsTheNextEventsInOrder() {
        var queue = HookQueue()
        let burst = (0...HookQueue.keptCapacity).map { added("p\($0)", rv: $0 + 1) }
        _ = queue.handOver(burst, batch: 0, now: 0)
        #expect(drain(&queue) == burst.map { "\($0.pod.key.name)@\($0.pod.resourceVersion)" })
        #expect(queue.lines.capacity <= HookQueue.keptCapacity)
        #expect(queue.handOver([updated("p1", from: 2, to: 9_001), added("b", rv: 9_002)], batch: 1, now: 0) == [.startWorker])
        #expect(drain(&queue) == ["p1@9001", "b@9002"])
        #expect(queue.isIdle && queue.count == 0)
    }

    @Test func aHandOverWhileAWorkerRunsStartsNoOther() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1)], batch: 0, now: 0)
        _ = queue.next()
        #expect(queue.handOver([added("b", rv: 2)], batch: 1, now: 0) == [])
        #expect(!queue.isIdle)
    }

    @Test func aCallWaitingOnAHelperLetsAnotherWorkerRunOtherPodsButNotItsOwn() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1), updated("a", from: 1, to: 2), added("b", rv: 3)], batch: 0, now: 0)
        let waiting = queue.next()!
        #expect(waiting.podKey == a)
        // The handler waits on http: a new worker takes b, never a's next event.
        #expect(queue.suspended(a) == [.startWorker])
        #expect(queue.suspended(a) == [], "said once per call")
        #expect(queue.next()!.podKey == b)
        #expect(queue.finished(b, .succeeded, now: 0) == [.release(batch: 0), .keepWorking])
        #expect(queue.next() == nil)
        // a's call ends: nobody works, so its task goes on, with a's next event.
        #expect(queue.finished(a, .succeeded, now: 0) == [.release(batch: 0), .keepWorking])
        #expect(queue.next()!.queued.pod.resourceVersion == "2")
    }

    @Test func aWaitingCallThatEndsWhileAnotherWorkerRunsLetsThatOneGoOn() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1), added("b", rv: 2)], batch: 0, now: 0)
        _ = queue.next()
        _ = queue.suspended(a)
        _ = queue.next()  // the new worker runs b
        #expect(queue.finished(a, .succeeded, now: 0) == [.release(batch: 0)], "no keepWorking: another worker is active")
    }

    @Test func aWorkerTakesSeveralPodsCallsInTurnAndReportsThemTogether() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1), updated("a", from: 1, to: 2), added("b", rv: 3), added("c", rv: 4)], batch: 0, now: 0)
        // One call per pod: a's second event waits for its first.
        let taken = queue.next(upTo: 3)
        #expect(taken.map(\.podKey.name) == ["a", "b", "c"])
        #expect(queue.next(upTo: 3).isEmpty, "the worker holds every runnable call")
        #expect(queue.finished([(.pod(a), .succeeded), (.pod(b), .failed(step: 0)), (.pod(c), .succeeded)], now: 0)
            == [.release(batch: 0), .release(batch: 0), .release(batch: 0), .keepWorking])
        #expect(queue.next(upTo: 3).map(\.queued.pod.resourceVersion) == ["2"])
        #expect(queue.finished([(.pod(a), .succeeded)], now: 0) == [.release(batch: 0), .keepWorking])
        #expect(queue.next(upTo: 3).isEmpty && queue.isIdle)
    }

    @Test func aTakenCallThatWaitsReportsThoseBeforeItAndHandsBackThoseAfterItToTheFront() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1), added("b", rv: 2), added("c", rv: 3), added("d", rv: 4)], batch: 0, now: 0)
        let taken = queue.next(upTo: 3)
        // a ran, b waits on a helper: a is reported, c goes back ahead of d, a new worker starts.
        #expect(queue.suspended(.pod(b), finished: [(.pod(a), .succeeded)], untaken: taken[2...], now: 0) == [.release(batch: 0), .startWorker])
        #expect(queue.next(upTo: 3).map(\.podKey.name) == ["c", "d"])
        #expect(queue.finished([(.pod(c), .succeeded), (.pod(d), .succeeded)], now: 0) == [.release(batch: 0), .release(batch: 0), .keepWorking])
        #expect(queue.next(upTo: 3).isEmpty)
        #expect(!queue.isIdle, "b still runs")
        #expect(queue.finished([(.pod(b), .succeeded)], now: 0) == [.release(batch: 0), .keepWorking])
        #expect(queue.next(upTo: 3).isEmpty && queue.isIdle)
    }

    @Test func aFailureWithoutARetrySettingIsReleasedAndNotRetried() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1)], batch: 4, now: 0)
        _ = queue.next()
        #expect(queue.finished(a, .failed(step: 0), now: 0) == [.release(batch: 4), .keepWorking])
        #expect(queue.count == 0)
    }

    @Test func aFailedCallWaitsWithBackoffWhileItsPodsLaterEventsQueueAndOtherPodsRun() {
        var queue = HookQueue(settings: .init(retry: RetryPolicy(attempts: 3, initial: .seconds(1), max: .seconds(3))), seed: 1)
        _ = queue.handOver([added("a", rv: 1), updated("a", from: 1, to: 2), added("b", rv: 3)], batch: 0, now: 0)
        _ = queue.next()
        let failed = queue.finished(a, .failed(step: 0), now: 0)
        guard case .retryScheduled(a, 2, let at) = failed.first else { Issue.record("\(failed)"); return }
        // The first retry waits between initial and twice it.
        #expect(at >= Self.second && at < 2 * Self.second)
        #expect(Array(failed.dropFirst()) == [.wake(at: at), .keepWorking])
        // a's update waits behind the retry; b runs.
        #expect(drain(&queue) == ["b@3"])
        #expect(queue.nextWake == at)
        #expect(queue.clockReached(at, now: at) == [.startWorker])
        let retried = queue.next()!
        #expect(retried.podKey == a && retried.queued.attempt == 2 && retried.queued.kind == .add)
        _ = queue.finished(a, .succeeded, now: at)
        #expect(drain(&queue, now: at) == ["a@2"])
    }

    @Test func backoffDoublesUpToTheMaximumAndTheLastAttemptGivesUp() {
        let policy = RetryPolicy(attempts: 4, initial: .seconds(1), max: .seconds(3))
        // Jitter 0: exactly the base delays.
        #expect(policy.delay(after: 1, jitter: 0) == Self.second)
        #expect(policy.delay(after: 2, jitter: 0) == 2 * Self.second)
        #expect(policy.delay(after: 3, jitter: 0) == 3 * Self.second)
        #expect(policy.delay(after: 2, jitter: 0.999) < 3 * Self.second + 1)
        #expect(policy.delay(after: 30, jitter: 0.5) == 3 * Self.second)

        var queue = HookQueue(settings: .init(retry: policy))
        _ = queue.handOver([added("a", rv: 1)], batch: 2, now: 0)
        var now: UInt64 = 0
        for attempt in 1...4 {
            let call = queue.next()!
            #expect(call.queued.attempt == attempt)
            let actions = queue.finished(a, .failed(step: 0), now: now)
            if attempt < 4 {
                guard case .retryScheduled(_, attempt + 1, let at) = actions.first else { Issue.record("\(actions)"); return }
                now = at
                _ = queue.clockReached(at, now: now)
            } else {
                var given = call.queued
                given.mergeableUntil = nil
                #expect(actions == [.giveUp(pod: a, event: given), .release(batch: 2), .keepWorking])
            }
        }
        #expect(queue.count == 0)
    }

    @Test func aRetryResumesAtTheHandlerThatFailed() {
        var queue = HookQueue(settings: .init(retry: RetryPolicy(attempts: 2)))
        _ = queue.handOver([updated("a", from: 1, to: 2, phases: ("Pending", "Running"))], batch: 0, now: 0)
        _ = queue.next()
        // on_update succeeded, on_phase (step 1) failed: only on_phase runs again.
        guard case .retryScheduled(_, _, let at) = queue.finished(a, .failed(step: 1), now: 0).first else { Issue.record(); return }
        _ = queue.clockReached(at, now: at)
        #expect(queue.next()!.queued.step == 1)
    }

    @Test func retryAskedForByTheHandlerUsesItsDelayEvenWithoutASetting() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1)], batch: 0, now: 0)
        _ = queue.next()
        #expect(queue.finished(a, .retryRequested(step: 0, delay: 30 * Self.second), now: 5) == [
            .retryScheduled(pod: a, attempt: 2, at: 30 * Self.second + 5), .wake(at: 30 * Self.second + 5), .keepWorking,
        ])
    }

    @Test func aNewerEventSupersedesAWaitingRetryAndRunsAtOnceFromItsFirstAttempt() {
        var queue = HookQueue(settings: .init(retry: RetryPolicy(attempts: 5, supersede: true)))
        _ = queue.handOver([updated("a", from: 1, to: 2)], batch: 0, now: 0)
        _ = queue.next()
        _ = queue.finished(a, .failed(step: 0), now: 0)
        #expect(queue.next() == nil)
        #expect(queue.handOver([updated("a", from: 2, to: 3, phases: ("Pending", "Running"))], batch: 1, now: 1) == [.release(batch: 1), .startWorker])
        let call = queue.next()!
        // The update the hook never finished keeps its old state; the pod is the newest.
        #expect(call.queued.attempt == 1 && call.queued.old?.resourceVersion == "1" && call.queued.pod.resourceVersion == "3")
        #expect(call.queued.transitions == [PhaseTransition(from: "Pending", to: "Running")])
    }

    @Test func withoutSupersedeANewerEventWaitsBehindTheRetry() {
        var queue = HookQueue(settings: .init(retry: RetryPolicy(attempts: 5)))
        _ = queue.handOver([added("a", rv: 1)], batch: 0, now: 0)
        _ = queue.next()
        _ = queue.finished(a, .failed(step: 0), now: 0)
        #expect(queue.handOver([updated("a", from: 1, to: 2)], batch: 1, now: 1) == [])
        #expect(queue.next() == nil)
        #expect(queue.count == 2)
    }

    @Test func updatesWithinTheDebounceWindowMergeIntoOneKeepingEveryPhaseChange() {
        var queue = HookQueue(settings: .init(debounce: 500_000_000))
        #expect(queue.handOver([updated("a", from: 1, to: 2, phases: ("Pending", "Running"))], batch: 0, now: 0) == [.wake(at: 500_000_000)])
        #expect(queue.handOver([updated("a", from: 2, to: 3, phases: ("Running", "Running"))], batch: 1, now: 100) == [.release(batch: 1)])
        #expect(queue.handOver([updated("a", from: 3, to: 4, phases: ("Running", "Succeeded"))], batch: 2, now: 200) == [.release(batch: 2)])
        #expect(queue.next() == nil, "the window is open")
        #expect(queue.clockReached(500_000_000, now: 500_000_000) == [.startWorker])
        let call = queue.next()!
        #expect(call.queued.old?.resourceVersion == "1" && call.queued.pod.resourceVersion == "4")
        #expect(call.queued.transitions == [PhaseTransition(from: "Pending", to: "Running"), PhaseTransition(from: "Running", to: "Succeeded")])
        // An update after the window opens a new one.
        _ = queue.finished(a, .succeeded, now: 500_000_000)
        #expect(queue.handOver([updated("a", from: 4, to: 5)], batch: 3, now: 600_000_000) == [.wake(at: 1_100_000_000)])
    }

    @Test func aDeleteClosesTheWindowAtOnceAndIsNeverMergedAway() {
        var queue = HookQueue(settings: .init(debounce: 500_000_000))
        _ = queue.handOver([updated("a", from: 1, to: 2)], batch: 0, now: 0)
        #expect(queue.handOver([deleted("a", rv: 3)], batch: 1, now: 10) == [.startWorker])
        #expect(drain(&queue) == ["a@2", "a@3"])
        // The stale wake-up finds nothing to do.
        #expect(queue.clockReached(500_000_000, now: 500_000_000) == [])
    }

    @Test func addsAndOtherPodsAreNotHeldByAWindow() {
        var queue = HookQueue(settings: .init(debounce: 500_000_000))
        _ = queue.handOver([updated("a", from: 1, to: 2), added("b", rv: 3)], batch: 0, now: 0)
        #expect(drain(&queue) == ["b@3"])
    }

    @Test func closingWindowsAtShutdownRunsWhatTheyHeld() {
        var queue = HookQueue(settings: .init(debounce: 500_000_000))
        _ = queue.handOver([updated("a", from: 1, to: 2)], batch: 0, now: 0)
        #expect(queue.closeWindows() == [.startWorker])
        #expect(drain(&queue) == ["a@2"])
    }

    @Test func aNewVersionAdoptsThePodsWaitingForARetryAndTheOldKeepsTheRest() {
        var old = HookQueue(settings: .init(retry: RetryPolicy(attempts: 3)))
        _ = old.handOver([added("a", rv: 1), updated("a", from: 1, to: 2), added("b", rv: 3)], batch: 0, now: 0)
        _ = old.next()
        guard case .retryScheduled(_, _, let at) = old.finished(a, .failed(step: 0), now: 0).first else { Issue.record(); return }
        let (handed, actions) = old.retire()
        #expect(handed.map(\.0) == [a] && handed[0].1.events.count == 2)
        #expect(actions == [])
        #expect(drain(&old) == ["b@3"])

        var new = HookQueue(settings: .init(retry: RetryPolicy(attempts: 3)))
        #expect(new.adopt(handed) == [.wake(at: at)])
        _ = new.handOver([added("a", rv: 2)], batch: 1, now: 0)  // its initial add, behind
        _ = new.clockReached(at, now: at)
        let retried = new.next()!
        #expect(retried.queued.attempt == 2 && retried.queued.pod.resourceVersion == "1")
        _ = new.finished(a, .succeeded, now: at)
        #expect(drain(&new, now: at) == ["a@2", "a@2"])
    }
}


extension HookQueueTests {
    @Test func aTimerCallJoinsItsPodsLineBehindItsEventsAndADeleteDropsIt() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1), added("b", rv: 2)], batch: 0, now: 0)
        #expect(drain(&queue) == ["a@1", "b@2"])
        #expect(queue.setTimer(pod("a", rv: 1), at: 90) == [.wake(at: 90)])
        #expect(queue.setTimer(pod("b", rv: 2), at: 90) == [], "already woken then")
        _ = queue.handOver([updated("a", from: 1, to: 3), deleted("b", rv: 4)], batch: 1, now: 10)
        // b's delete drops its timer; a's fires behind a's update.
        #expect(queue.clockReached(90, now: 90) == [])
        #expect(queue.next()!.queued.origin == .informer)
        _ = queue.finished(a, .succeeded, now: 90)
        #expect(queue.next()!.queued.name == "delete")
        _ = queue.finished(b, .succeeded, now: 90)
        let timer = queue.next()!
        #expect(timer.podKey == a && timer.queued.origin == .timer && timer.queued.name == "timer")
        #expect(queue.finished(a, .succeeded, now: 90) == [.keepWorking], "a timer's call is not in the ledger")
        #expect(queue.timerCount == 0)
    }

    @Test func aScheduleTickThatComesWhileTheLastCallRunsOrBeforeItEndedIsSkipped() {
        var queue = HookQueue()
        #expect(queue.armSchedule(at: 30) == [.wake(at: 30)])
        #expect(queue.clockReached(30, now: 30) == [.scheduleFired(tick: 30), .startWorker])
        #expect(queue.next() == .schedule(tick: 30))
        _ = queue.armSchedule(at: 60)
        #expect(queue.clockReached(60, now: 60) == [.scheduleFired(tick: 60), .scheduleSkipped(tick: 60)])
        #expect(queue.finished(.schedule, .succeeded, now: 95) == [.keepWorking])
        // Reported after the call ended, the tick at 90 still came while it ran.
        _ = queue.armSchedule(at: 90)
        #expect(queue.clockReached(90, now: 100) == [.scheduleFired(tick: 90), .scheduleSkipped(tick: 90)])
        _ = queue.armSchedule(at: 120)
        #expect(queue.clockReached(120, now: 120) == [.scheduleFired(tick: 120)])
        #expect(queue.next() == .schedule(tick: 120))
    }

    @Test func nothingRunsBeforeTheGateOpensAndResyncWakesAreHandedToTheInterpreter() {
        var queue = HookQueue(gated: true)
        #expect(queue.handOver([added("a", rv: 1)], batch: 0, now: 0) == [])
        #expect(queue.next() == nil && queue.isIdle)
        #expect(queue.open() == [.startWorker])
        #expect(drain(&queue) == ["a@1"])
        _ = queue.armResync(at: 5)
        #expect(queue.clockReached(5, now: 5) == [.resyncDue(at: 5)])
    }

    @Test func aFencedQueueStartsNothingReleasesWhatItHeldAndLetsTheRunningCallFinishWithoutARetry() {
        var queue = HookQueue(settings: .init(retry: RetryPolicy(attempts: 3, initial: .seconds(1), max: .seconds(3)), debounce: 5 * Self.second))
        _ = queue.handOver([added("a", rv: 1), added("b", rv: 2)], batch: 0, now: 0)
        _ = queue.armSchedule(at: 30)
        _ = queue.setTimer(pod("b", rv: 2), at: 60)
        #expect(queue.next()?.podKey == a)
        // Behind a's running call: an update (in a debounce window); b's add waits its turn.
        _ = queue.handOver([updated("a", from: 1, to: 3)], batch: 1, now: 0)
        #expect(queue.fence() == [.release(batch: 1), .release(batch: 0)])
        #expect(queue.fence() == [], "fenced once")
        // The running call fails: no retry, it is released, and the worker gets nothing more.
        #expect(queue.finished(a, .failed(step: 0), now: 1) == [.release(batch: 0), .keepWorking])
        #expect(queue.next() == nil)
        #expect(queue.isIdle && queue.count == 0 && queue.timerCount == 0 && queue.nextWake == nil)
        // Whatever comes later is released at once and never runs.
        #expect(queue.handOver([added("c", rv: 4), added("d", rv: 5)], batch: 2, now: 2) == [.release(batch: 2), .release(batch: 2)])
        #expect(queue.open() == [] && queue.armSchedule(at: 90) == [] && queue.setTimer(pod("c", rv: 4), at: 90) == [])
        #expect(queue.next() == nil)
    }

    @Test func callsTakenAndNotRunWhenTheQueueIsFencedAreReleasedNotRun() {
        var queue = HookQueue()
        _ = queue.handOver([added("a", rv: 1), added("b", rv: 2), added("c", rv: 3)], batch: 0, now: 0)
        let taken = queue.next(upTo: 3)
        #expect(taken.count == 3)
        // a ran; the replica stopped leading before b and c started.
        #expect(queue.fence() == [])
        #expect(queue.finished([(.pod(a), .succeeded)], untaken: taken[1...], now: 0)
            == [.release(batch: 0), .release(batch: 0), .release(batch: 0), .keepWorking])
        #expect(queue.next(upTo: 3).isEmpty)
        #expect(queue.isIdle && queue.count == 0)
    }
}

/// The tests read a pod's call and report on pods by key.
extension HookQueue.Call {
    var podKey: PodKey {
        guard case .event(let pod, _) = self else { fatalError("not a pod's call: \(self)") }
        return pod
    }

    var queued: QueuedEvent {
        guard case .event(_, let event) = self else { fatalError("not a pod's call: \(self)") }
        return event
    }
}

extension HookQueue {
    mutating func finished(_ pod: PodKey, _ outcome: Outcome, now: UInt64) -> [Action] { finished(.pod(pod), outcome, now: now) }
    mutating func suspended(_ pod: PodKey) -> [Action] { suspended(.pod(pod)) }
}

/// A world (a new version's initial adds) is drawn into lines as the worker takes calls, not
/// queued at once; whatever comes for a pod comes after its add (`docs/hooks.md`, "Starting a
/// version").
extension HookQueueTests {
    func world(_ names: String...) -> [PodRecord] { names.enumerated().map { pod($1, rv: $0 + 1) } }

    @Test func aWorldIsDrawnInKeyOrderAsTheWorkerTakesCallsNotQueuedAtOnce() {
        var queue = HookQueue()
        // Any list: sorted once by key.
        #expect(queue.handOverWorld(world("c", "a", "d", "b"), batch: 0) == [.startWorker])
        #expect(queue.lines.isEmpty && queue.count == 4 && !queue.isIdle)
        let taken = queue.next(upTo: 2)
        #expect(taken.map(\.podKey.name) == ["a", "b"] && taken.allSatisfy { $0.queued.kind == .add && $0.queued.initial })
        #expect(queue.lines.count == 2 && queue.count == 4)
        #expect(queue.finished([(.pod(a), .succeeded), (.pod(b), .succeeded)], now: 0) == [.release(batch: 0), .release(batch: 0), .keepWorking])
        #expect(queue.count == 2 && queue.lines.isEmpty)
        #expect(drain(&queue) == ["c@1", "d@3"])
        #expect(queue.next(upTo: 2).isEmpty && queue.isIdle && queue.count == 0)
    }

    @Test func anEventForAPodWhoseAddIsNotDrawnDrawsItFirstAndOtherPodsDoNotWaitForTheWorld() {
        var queue = HookQueue()
        _ = queue.handOverWorld(world("a", "b", "c", "d"), batch: 0)
        // c's update and d's delete come before their adds are drawn; e is not in the world.
        #expect(queue.handOver([updated("c", from: 3, to: 5), deleted("d", rv: 6), added("e", rv: 7)], batch: 1, now: 0) == [])
        #expect(queue.lines.count == 3 && queue.count == 7)
        // The turn holds c, d and e (each pod's add first); the rest of the world fills the take.
        let first = queue.next(upTo: 4)
        #expect(first.map { "\($0.podKey.name)@\($0.queued.pod.resourceVersion) \($0.queued.name)" } == ["c@3 add", "d@4 add", "e@7 add", "a@1 add"])
        _ = queue.finished(first.map { (.pod($0.podKey), .succeeded) }, now: 0)
        #expect(drain(&queue) == ["c@5", "d@6", "b@2"])
        #expect(queue.isIdle && queue.count == 0)
    }

    @Test func aTimerOfAPodWhoseAddIsNotDrawnRunsBehindTheAdd() {
        var queue = HookQueue()
        _ = queue.handOverWorld(world("a", "b"), batch: 0)
        _ = queue.setTimer(pod("b", rv: 2), at: 10)
        #expect(queue.clockReached(10, now: 10) == [])
        let taken = queue.next(upTo: 2)
        #expect(taken.map { "\($0.podKey.name) \($0.queued.name)" } == ["b add", "a add"])
        _ = queue.finished(taken.map { (.pod($0.podKey), .succeeded) }, now: 10)
        #expect(queue.next()!.queued.name == "timer")
    }

    @Test func aSecondWorldsAddsComeAfterTheFirstsPodByPod() {
        var queue = HookQueue()
        _ = queue.handOverWorld(world("a", "b"), batch: 0)
        _ = queue.handOverWorld([pod("b", rv: 8), pod("c", rv: 9)], batch: 1)
        #expect(queue.count == 4)
        #expect(drain(&queue) == ["a@1", "b@2", "b@8", "c@9"])
        // Drawn ahead, a pod's adds come from every world in order.
        _ = queue.handOverWorld(world("a", "b"), batch: 2)
        _ = queue.handOverWorld([pod("b", rv: 8)], batch: 3)
        _ = queue.handOver([updated("b", from: 8, to: 9)], batch: 4, now: 0)
        #expect(drain(&queue) == ["b@2", "b@8", "b@9", "a@1"])
    }

    @Test func aFencedQueueReleasesTheAddsItHadNotDrawn() {
        var queue = HookQueue()
        _ = queue.handOverWorld(world("a", "b", "c"), batch: 0)
        #expect(queue.next()?.podKey == a)
        #expect(queue.fence() == [.release(batch: 0), .release(batch: 0)])
        #expect(queue.finished(a, .succeeded, now: 0) == [.release(batch: 0), .keepWorking])
        #expect(queue.next() == nil && queue.isIdle && queue.count == 0)
        #expect(queue.handOverWorld(world("d"), batch: 1) == [.release(batch: 1)])
    }

    @Test func aReloadWhileAWorldIsPartlyDrawnMovesTheRetryAheadOfTheNewAddAndTheOldVersionFinishesItsOwn() {
        let settings = HookQueue.Settings(retry: RetryPolicy(attempts: 3))
        var old = HookQueue(settings: settings)
        _ = old.handOverWorld(world("a", "b", "c"), batch: 0)
        _ = old.next()
        guard case .retryScheduled(_, _, let at) = old.finished(a, .failed(step: 0), now: 0).first else { Issue.record(); return }
        // b's update comes while its add is not drawn.
        _ = old.handOver([updated("b", from: 2, to: 4)], batch: 1, now: 0)
        let (handed, _) = old.retire()
        #expect(handed.map(\.0) == [a])
        #expect(drain(&old) == ["b@2", "b@4", "c@3"])

        var new = HookQueue(settings: settings, gated: true)
        #expect(new.adopt(handed) == [.wake(at: at)])
        // a has a line (its retry): its new add joins it at once, behind the retry.
        #expect(new.handOverWorld([pod("a", rv: 7), pod("b", rv: 2), pod("c", rv: 3)], batch: 2) == [])
        #expect(new.count == 4 && new.lines.count == 1)
        _ = new.open()
        #expect(drain(&new) == ["b@2", "c@3"])
        _ = new.clockReached(at, now: at)
        let retried = new.next()!
        #expect(retried.queued.attempt == 2 && retried.queued.pod.resourceVersion == "1")
        _ = new.finished(a, .succeeded, now: at)
        let add = new.next()!
        #expect(add.queued.initial && add.queued.attempt == 1 && add.queued.pod.resourceVersion == "7")
    }

    @Test func debounceAndSupersedeHoldForPodsOfAWorld() {
        var debounced = HookQueue(settings: .init(debounce: 500))
        _ = debounced.handOverWorld(world("a", "b"), batch: 0)
        // b's update opens a window behind b's add, and the next one joins it.
        #expect(debounced.handOver([updated("b", from: 2, to: 3)], batch: 1, now: 0) == [])
        #expect(debounced.handOver([updated("b", from: 3, to: 4)], batch: 2, now: 100) == [.release(batch: 2)])
        #expect(drain(&debounced) == ["b@2", "a@1"])
        #expect(debounced.clockReached(500, now: 500) == [.startWorker])
        let merged = debounced.next()!
        #expect(merged.queued.old?.resourceVersion == "2" && merged.queued.pod.resourceVersion == "4")

        // A world's add supersedes the adopted retry of its pod, as any newer event does.
        var old = HookQueue(settings: .init(retry: RetryPolicy(attempts: 3, supersede: true)))
        _ = old.handOver([updated("a", from: 1, to: 2)], batch: 0, now: 0)
        _ = old.next()
        _ = old.finished(a, .failed(step: 0), now: 0)
        var new = HookQueue(settings: .init(retry: RetryPolicy(attempts: 3, supersede: true)))
        _ = new.adopt(old.retire().handed)
        #expect(new.handOverWorld([pod("a", rv: 2)], batch: 1) == [.release(batch: 1), .startWorker])
        let call = new.next()!
        #expect(call.queued.kind == .add && call.queued.attempt == 1)
    }
}
