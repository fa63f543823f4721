import Testing

@testable import Kube

/// The protocol decisions of `informer.md`, without I/O. The fault-matrix rows are exercised
/// end to end over HTTP by the informer's integration tests; here each decision is pinned down.
@Suite struct ReflectorStateMachineTests {
    /// The machine with a cache of its own, as a reflector runs it against the shared one.
    struct Machine {
        var machine: ReflectorStateMachine
        var store = PodStore()

        init(
            pageSize: Int, now: @escaping @Sendable () -> ContinuousClock.Instant, random: @escaping @Sendable () -> Double,
            assertsOnMisuse: Bool = true
        ) {
            machine = ReflectorStateMachine(pageSize: pageSize, now: now, random: random)
            machine.assertsOnMisuse = assertsOnMisuse
        }

        var isSynced: Bool { machine.isSynced }
        var lastResourceVersion: String? { machine.lastResourceVersion }
        mutating func start(because reason: RelistReason = .start) -> [ReflectorStateMachine.Action] { machine.start(because: reason) }
        mutating func delayElapsed() -> [ReflectorStateMachine.Action] { machine.delayElapsed() }
        mutating func listPageReceived(_ page: PodListPage) -> [ReflectorStateMachine.Action] { machine.listPageReceived(page, cache: &store) }
        mutating func listFailed(_ failure: KubeRequestFailure) -> [ReflectorStateMachine.Action] { machine.listFailed(failure) }
        mutating func watchEventReceived(_ event: WatchEvent) -> [ReflectorStateMachine.Action] { machine.watchEventReceived(event, cache: &store) }
        mutating func watchEventMalformed(_ reason: String) -> [ReflectorStateMachine.Action] { machine.watchEventMalformed(reason) }
        mutating func watchFailed(_ failure: KubeRequestFailure) -> [ReflectorStateMachine.Action] { machine.watchFailed(failure) }
        mutating func watchEnded(eventCount: Int, after duration: Duration) -> [ReflectorStateMachine.Action] {
            machine.watchEnded(eventCount: eventCount, after: duration)
        }
    }
    let start = ContinuousClock.now

    func machine(random: Double = 0, assertsOnMisuse: Bool = true) -> Machine {
        let start = start
        return Machine(pageSize: 2, now: { start }, random: { random }, assertsOnMisuse: assertsOnMisuse)
    }

    func page(_ items: [PodRecord], rv: String, continue token: String? = nil) -> PodListPage {
        PodListPage(items: items, resourceVersion: rv, continueToken: token)
    }

    /// A machine that has listed `items` and is watching from `rv`.
    func synced(_ items: [PodRecord] = [pod("a", rv: "1")], rv: String = "10", assertsOnMisuse: Bool = true) -> Machine {
        var m = machine(assertsOnMisuse: assertsOnMisuse)
        _ = m.start()
        _ = m.listPageReceived(page(items, rv: rv))
        return m
    }

    @Test func firstListIsPagedAndAppliedOnlyWhenComplete() {
        var m = machine()
        #expect(m.start() == [.report(.relisting(.start)), .list(.init(resourceVersion: "", continueToken: nil, limit: 2))])
        #expect(m.listPageReceived(page([pod("a", rv: "1"), pod("b", uid: "u2", rv: "2")], rv: "5", continue: "c1"))
            == [.list(.init(resourceVersion: "", continueToken: "c1", limit: 2))])
        #expect(!m.isSynced)
        #expect(m.store.count == 0)
        let actions = m.listPageReceived(page([pod("c", uid: "u3", rv: "3")], rv: "5"))
        #expect(actions == [
            .deliver([
                .add(pod("a", rv: "1"), initial: true, at: "5"), .add(pod("b", uid: "u2", rv: "2"), initial: true, at: "5"),
                .add(pod("c", uid: "u3", rv: "3"), initial: true, at: "5"),
            ]),
            .report(.listed),
            .synced,
            .watch(.init(resourceVersion: "5", timeoutSeconds: 300)),
        ])
    }

    @Test func watchTimeoutsAreSpreadOverFiveToTenMinutes() {
        var low = machine(random: 0), high = machine(random: 0.9999)
        _ = low.start()
        _ = high.start()
        #expect(low.listPageReceived(page([], rv: "1")).last == .watch(.init(resourceVersion: "1", timeoutSeconds: 300)))
        #expect(high.listPageReceived(page([], rv: "1")).last == .watch(.init(resourceVersion: "1", timeoutSeconds: 599)))
    }

    @Test func aCleanWatchEndRewatchesFromTheLastResourceVersionWithoutRelisting() {  // row 1
        var m = synced()
        _ = m.watchEventReceived(.modified(pod("a", rv: "11")))
        #expect(m.watchEnded(eventCount: 1, after: .seconds(300))
            == [.report(.rewatching(.closed)), .watch(.init(resourceVersion: "11", timeoutSeconds: 300))])
    }

    @Test func quickEmptyWatchesBackOffAndRelist() {  // row 2
        var m = synced()
        #expect(m.watchEnded(eventCount: 0, after: .milliseconds(10)) == [.report(.relisting(.error)), .wait(.milliseconds(800))])
        #expect(m.delayElapsed() == [.list(.init(resourceVersion: "10", continueToken: nil, limit: 2))])
        _ = m.listPageReceived(page([pod("a", rv: "1")], rv: "10"))
        #expect(m.watchEnded(eventCount: 0, after: .milliseconds(10)) == [.report(.relisting(.error)), .wait(.milliseconds(1600))])
    }

    @Test func goneRelistsFromTheLastResourceVersionThenFromScratch() {  // rows 3, 4, 5
        var m = synced()
        #expect(m.watchFailed(.status(APIStatus(code: 410)))
            == [.report(.relisting(.gone)), .list(.init(resourceVersion: "10", continueToken: nil, limit: 2))])
        // The same relist, from scratch: not a second one.
        #expect(m.listFailed(.status(APIStatus(code: 410))) == [.list(.init(resourceVersion: "", continueToken: nil, limit: 2))])

        var viaEvent = synced()
        #expect(viaEvent.watchEventReceived(.error(APIStatus(code: 410, reason: "Expired")))
            == [.report(.relisting(.gone)), .list(.init(resourceVersion: "10", continueToken: nil, limit: 2))])
    }

    @Test func bookmarksOnlyMoveTheResourceVersion() {  // row 7
        var m = synced()
        #expect(m.watchEventReceived(.bookmark(resourceVersion: "50")) == [])
        #expect(m.watchEventReceived(.bookmark(resourceVersion: "60")) == [])
        #expect(m.watchEnded(eventCount: 2, after: .seconds(300))
            == [.report(.rewatching(.closed)), .watch(.init(resourceVersion: "60", timeoutSeconds: 300))])
    }

    @Test func deletesMissedDuringADisconnectArriveAsTombstones() {  // row 8
        var m = synced([pod("a", rv: "1"), pod("b", uid: "u2", rv: "2")])
        _ = m.watchFailed(.status(APIStatus(code: 410)))
        #expect(m.listPageReceived(page([pod("a", rv: "1")], rv: "20")) == [
            .deliver([.delete(pod("b", uid: "u2", rv: "2"), tombstone: true, at: "20")]),
            .report(.listed),
            .watch(.init(resourceVersion: "20", timeoutSeconds: 300)),
        ])
    }

    @Test func aPodRecreatedDuringADisconnectIsDeletedThenAdded() {  // row 9
        var m = synced([pod("a", uid: "old", rv: "1")])
        _ = m.watchFailed(.status(APIStatus(code: 410)))
        #expect(m.listPageReceived(page([pod("a", uid: "new", rv: "15")], rv: "20")).first == .deliver([
            .delete(pod("a", uid: "old", rv: "1"), tombstone: true, at: "20"), .add(pod("a", uid: "new", rv: "15"), at: "20"),
        ]))
    }

    @Test func badFramesBackOffAndRelist() {  // row 11
        var m = synced()
        #expect(m.watchEventMalformed("garbage") == [.report(.relisting(.error)), .wait(.milliseconds(800))])
        #expect(m.delayElapsed() == [.list(.init(resourceVersion: "10", continueToken: nil, limit: 2))])
    }

    @Test func throttlingWaitsForRetryAfterAndAWatch429DoesNotRelist() {  // row 12
        var m = synced()
        #expect(m.watchFailed(.status(APIStatus(code: 429, retryAfterSeconds: 7))) == [.report(.rewatching(.error)), .wait(.seconds(7))])
        #expect(m.delayElapsed() == [.watch(.init(resourceVersion: "10", timeoutSeconds: 300))])
        #expect(m.watchEventReceived(.error(APIStatus(code: 429, retryAfterSeconds: 5))) == [.report(.rewatching(.error)), .wait(.seconds(5))])

        var listing = machine()
        _ = listing.start()
        #expect(listing.listFailed(.status(APIStatus(code: 429, retryAfterSeconds: 3))) == [.wait(.seconds(3))])
        #expect(listing.delayElapsed() == [.list(.init(resourceVersion: "", continueToken: nil, limit: 2))])
    }

    @Test func serverErrorsOnListRetryWithBackoffAndStayUnsynced() {  // row 13
        var m = machine()
        _ = m.start()
        #expect(m.listFailed(.status(APIStatus(code: 503))) == [.wait(.milliseconds(800))])
        _ = m.delayElapsed()
        #expect(m.listFailed(.transport("connection refused")) == [.wait(.milliseconds(1600))])
        #expect(!m.isSynced)
    }

    @Test func anExpiredContinueTokenRedoesOneFullListNeverAPartialOne() {  // row 14
        var m = machine()
        _ = m.start()
        _ = m.listPageReceived(page([pod("a", rv: "1")], rv: "5", continue: "c1"))
        #expect(m.listFailed(.status(APIStatus(code: 410, reason: "Expired"))) == [.list(.init(resourceVersion: "", continueToken: nil, limit: nil))])
        #expect(m.store.count == 0)
    }

    @Test func refusedWatchesRetryTheWatchAfterBackoff() {  // row 15
        var m = synced()
        #expect(m.watchFailed(.transport("connection refused")) == [.report(.rewatching(.error)), .wait(.milliseconds(800))])
        #expect(m.delayElapsed() == [.watch(.init(resourceVersion: "10", timeoutSeconds: 300))])
    }

    @Test func errorEventsOtherThanGoneBackOffAndRelist() {  // row 16
        var m = synced()
        #expect(m.watchEventReceived(.error(APIStatus(code: 500))) == [.report(.relisting(.error)), .wait(.milliseconds(800))])
        #expect(m.delayElapsed() == [.list(.init(resourceVersion: "10", continueToken: nil, limit: 2))])
    }

    @Test func aTooLargeResourceVersionRelistsFromScratch() {  // row 17
        var m = synced()
        let status = APIStatus(code: 504, reason: "Timeout", message: "Too large resource version: 99, current: 10")
        #expect(m.watchFailed(.status(status)) == [.report(.relisting(.error)), .wait(.milliseconds(800))])
        #expect(m.delayElapsed() == [.list(.init(resourceVersion: "", continueToken: nil, limit: 2))])
    }

    @Test func eventMappingFollowsTheCache() {  // row 19
        var m = synced([pod("a", rv: "1")])
        #expect(m.watchEventReceived(.added(pod("a", rv: "11"))) == [.deliver([.update(pod("a", rv: "1"), pod("a", rv: "11"), at: "11")])])
        #expect(m.watchEventReceived(.modified(pod("b", uid: "u2", rv: "12"))) == [.deliver([.add(pod("b", uid: "u2", rv: "12"), at: "12")])])
        #expect(m.watchEventReceived(.deleted(pod("zzz", uid: "u3", rv: "13"))) == [])
        #expect(m.lastResourceVersion == "13")
    }

    @Test func unauthorizedRefreshesCredentialsInsteadOfCrashLooping() {  // row 22
        var m = synced()
        #expect(m.watchFailed(.status(APIStatus(code: 401))) == [.refreshCredentials, .report(.rewatching(.error)), .wait(.milliseconds(800))])
        var listing = machine()
        _ = listing.start()
        #expect(listing.listFailed(.status(APIStatus(code: 401))) == [.refreshCredentials, .wait(.milliseconds(800))])
    }
}

extension ReflectorStateMachineTests {
    @Test func aRetriedWatchResumesAfterTheEventsThatDidArrive() {
        var m = synced()
        _ = m.watchEventReceived(.modified(pod("a", rv: "12")))
        #expect(m.watchEventReceived(.error(APIStatus(code: 429, retryAfterSeconds: 1))) == [.report(.rewatching(.error)), .wait(.seconds(1))])
        #expect(m.delayElapsed() == [.watch(.init(resourceVersion: "12", timeoutSeconds: 300))])
    }
}

extension ReflectorStateMachineTests {
    /// The reports monitoring gets: one per relist and per rewatch, with its reason, before the
    /// request (or wait) that begins it; one per list applied; none for a list that is retried.
    @Test func eachRelistAndRewatchIsReportedOnceWithItsReason() {
        var m = machine()
        var reports: [ReflectorReport] = []
        func note(_ actions: [ReflectorStateMachine.Action]) {
            for case .report(let report) in actions { reports.append(report) }
        }
        note(m.start(because: .queriesChanged))
        note(m.listFailed(.status(APIStatus(code: 503))))
        note(m.delayElapsed())
        note(m.listPageReceived(page([pod("a", rv: "1")], rv: "10")))
        note(m.watchEnded(eventCount: 4, after: .seconds(300)))
        note(m.watchFailed(.transport("connection reset")))
        note(m.delayElapsed())
        note(m.watchEventReceived(.error(APIStatus(code: 410, reason: "Expired"))))
        note(m.listFailed(.status(APIStatus(code: 410, reason: "Expired"))))
        note(m.listPageReceived(page([pod("a", rv: "1")], rv: "20")))
        note(m.watchEventMalformed("garbage"))
        note(m.delayElapsed())
        note(m.listPageReceived(page([pod("a", rv: "1")], rv: "30")))
        #expect(reports == [
            .relisting(.queriesChanged), .listed,
            .rewatching(.closed), .rewatching(.error),
            .relisting(.gone), .listed,
            .relisting(.error), .listed,
        ])
    }

    @Test func everyListAppliedIsReportedButOnlyTheFirstSyncs() {
        var m = synced()
        _ = m.watchFailed(.status(APIStatus(code: 410)))
        let relisted = m.listPageReceived(page([pod("a", rv: "1")], rv: "20"))
        #expect(relisted == [.report(.listed), .watch(.init(resourceVersion: "20", timeoutSeconds: 300))])
    }
}
