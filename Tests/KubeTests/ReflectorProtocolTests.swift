import Testing

@testable import Kube

/// The strictness of the reflector protocol: every report is valid in one phase only. Debug
/// builds stop at an assertion on a report in the wrong phase; these tests switch the assertion
/// off to pin down what release builds do instead: warn, back off, relist.
@Suite struct ReflectorProtocolTests {
    let tests = ReflectorStateMachineTests()

    func isRelistAfterWarning(_ actions: [ReflectorStateMachine.Action], report: String, phase: String) -> Bool {
        guard actions.count == 3, case .warn(let message) = actions[0], actions[1] == .report(.relisting(.error)), case .wait = actions[2] else {
            return false
        }
        return message.contains(report) && message.contains("while \(phase)")
    }

    @Test func aWatchEventWhileListingIsNotAppliedAndRelists() {
        var m = tests.machine(assertsOnMisuse: false)
        _ = m.start()
        let actions = m.watchEventReceived(.added(pod("a", rv: "3")))
        #expect(isRelistAfterWarning(actions, report: "watchEventReceived", phase: "listing"))
        #expect(m.store.count == 0, "the event reached the cache")
        #expect(m.delayElapsed() == [.list(.init(resourceVersion: "", continueToken: nil, limit: 2))])
    }

    @Test func aListPageWhileWatchingIsNotAppliedAndRelistsFromTheLastVersion() {
        var m = tests.synced([pod("a", rv: "1")], rv: "10", assertsOnMisuse: false)
        let actions = m.listPageReceived(tests.page([pod("b", uid: "u2", rv: "11")], rv: "11"))
        #expect(isRelistAfterWarning(actions, report: "listPageReceived", phase: "watching"))
        #expect(m.store.count == 1 && m.store[PodKey(namespace: "default", name: "b")] == nil)
        #expect(m.lastResourceVersion == "10")
        #expect(m.delayElapsed() == [.list(.init(resourceVersion: "10", continueToken: nil, limit: 2))])
    }

    @Test func reportsOutOfTurnAllWarnAndRelist() {
        var waiting = tests.synced(assertsOnMisuse: false)
        _ = waiting.watchFailed(.transport("refused"))
        #expect(isRelistAfterWarning(waiting.watchEnded(eventCount: 1, after: .seconds(300)), report: "watchEnded", phase: "waiting"))

        var watching = tests.synced(assertsOnMisuse: false)
        #expect(isRelistAfterWarning(watching.delayElapsed(), report: "delayElapsed", phase: "watching"))

        var listing = tests.machine(assertsOnMisuse: false)
        _ = listing.start()
        #expect(isRelistAfterWarning(listing.start(), report: "start", phase: "listing"))
        _ = listing.delayElapsed()
        #expect(isRelistAfterWarning(listing.watchFailed(.transport("x")), report: "watchFailed", phase: "listing"))
        _ = listing.delayElapsed()
        #expect(isRelistAfterWarning(listing.watchEventMalformed("x"), report: "watchEventMalformed", phase: "listing"))

        var listFailure = tests.synced(assertsOnMisuse: false)
        #expect(isRelistAfterWarning(listFailure.listFailed(.transport("x")), report: "listFailed", phase: "watching"))
    }

    @Test func everyWayAWatchEndsBeginsTheNextStep() {
        let endings: [(inout ReflectorStateMachineTests.Machine) -> [ReflectorStateMachine.Action]] = [
            { $0.watchEventReceived(.error(APIStatus(code: 410))) },
            { $0.watchEventReceived(.error(APIStatus(code: 429, retryAfterSeconds: 1))) },
            { $0.watchEventReceived(.error(APIStatus(code: 401))) },
            { $0.watchEventReceived(.error(APIStatus(code: 500))) },
            { $0.watchEventMalformed("garbage") },
            { $0.watchEnded(eventCount: 0, after: .zero) },
            { $0.watchEnded(eventCount: 3, after: .seconds(300)) },
        ]
        for ending in endings {
            var m = tests.synced()
            let actions = ending(&m)
            #expect(actions.filter(\.beginsStep).count == 1 && actions.last?.beginsStep == true, "\(actions)")
        }
        var m = tests.synced()
        let event = m.watchEventReceived(.modified(pod("a", rv: "11"))), bookmark = m.watchEventReceived(.bookmark(resourceVersion: "12"))
        #expect(event.count == 1 && !event[0].beginsStep)
        #expect(bookmark.isEmpty)
    }

    @Test func deliveriesOfOneChunkAreMergedInOrder() {
        let a = PodEvent.add(pod("a", rv: "1"), at: "1"), b = PodEvent.add(pod("b", uid: "u2", rv: "2"), at: "2")
        let c = PodEvent.add(pod("c", uid: "u3", rv: "3"), at: "3")
        let actions: [ReflectorStateMachine.Action] = [.deliver([a]), .deliver([b]), .refreshCredentials, .deliver([c]), .wait(.seconds(1))]
        #expect(actions.mergingDeliveries == [.deliver([a, b]), .refreshCredentials, .deliver([c]), .wait(.seconds(1))])
    }
}
