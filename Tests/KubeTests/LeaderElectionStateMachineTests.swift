import Foundation
import Synchronization
import Testing

@testable import Kube

/// The election's decisions without I/O, with client-go's timings (lease 15 s, renew deadline
/// 10 s, retry 2 s). `LeaderElectorTests` drives the same machine through the fake API server.
@Suite struct LeaderElectionStateMachineTests {
    typealias Action = LeaderElectionStateMachine.Action

    /// `seconds` after the start on the monotonic scale; the wall clock is on another scale on
    /// purpose (the machine never compares the two).
    static func at(_ seconds: Double) -> LeaderElectionStateMachine.Time {
        .init(monotonic: ns(seconds), wall: wall(seconds))
    }

    static func ns(_ seconds: Double) -> UInt64 { UInt64((seconds * 1e9).rounded()) }

    static func wall(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 1_767_225_600 + seconds) }

    func machine(_ identity: String = "a", random: Double = 0, assertsOnMisuse: Bool = true) -> LeaderElectionStateMachine {
        var machine = LeaderElectionStateMachine(identity: identity, random: { random })
        machine.assertsOnMisuse = assertsOnMisuse
        return machine
    }

    /// What the server answers a write of `record` with.
    func stored(_ record: LeaseRecord, rv: String) -> ObservedLease { ObservedLease(record: record, resourceVersion: rv) }

    func held(by holder: String, renewed: Double = 0, transitions: Int = 0, rv: String = "7") -> ObservedLease {
        stored(LeaseRecord(holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: Self.wall(renewed), renewTime: Self.wall(renewed), leaseTransitions: transitions), rv: rv)
    }

    /// "a" created the lease at 0 (answered at 0.5) and leads until 10.
    func leader() -> LeaderElectionStateMachine {
        var m = machine()
        _ = m.start(at: Self.at(0))
        _ = m.leaseObserved(nil, at: Self.at(0))
        _ = m.writeSucceeded(held(by: "a", rv: "1"), at: Self.at(0.5))
        return m
    }

    @Test func aCandidateCreatesAMissingLeaseAndLeadsUntilTheRenewDeadlineAfterItSentTheCreate() {
        var m = machine()
        #expect(m.start(at: Self.at(0)) == [.get])
        let record = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(0), renewTime: Self.wall(0), leaseTransitions: 0)
        #expect(m.leaseObserved(nil, at: Self.at(0)) == [.create(record)])
        // The deadline counts from when the create was sent (0), not from its answer (0.5).
        #expect(m.writeSucceeded(stored(record, rv: "1"), at: Self.at(0.5)) == [.holderObserved("a"), .becomeLeader(until: Self.ns(10)), .wake(at: Self.ns(2.5))])
        #expect(m.isLeading)
    }

    @Test func theLeaderRenewsEveryRetryPeriodWithItsLastVersionKeepingItsAcquireTime() {
        var m = leader()
        let renewal = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(0), renewTime: Self.wall(2.5), leaseTransitions: 0)
        // The deadline is watched while the renewal is in flight.
        #expect(m.tick(at: Self.at(2.5)) == [.update(renewal, resourceVersion: "1"), .wake(at: Self.ns(10))])
        #expect(m.writeSucceeded(stored(renewal, rv: "2"), at: Self.at(2.6)) == [.renewed(until: Self.ns(12.5)), .wake(at: Self.ns(4.6))])
    }

    @Test func aCandidateWaitsTheLeaseDurationFromWhenItSawTheRecordChangeWhateverTheHoldersClockSays() {
        var m = machine()
        _ = m.start(at: Self.at(0))
        // b's renewTime is a year old by a's clock: skew, not expiry. Only a change seen matters.
        let stale = held(by: "b", renewed: -31_536_000, rv: "7")
        #expect(m.leaseObserved(stale, at: Self.at(0)) == [.holderObserved("b"), .wake(at: Self.ns(2))])
        #expect(m.tick(at: Self.at(2)) == [.get])
        #expect(m.leaseObserved(stale, at: Self.at(2)) == [.wake(at: Self.ns(4))])
        // b renews at 8: the 15 s count starts again from 8.
        _ = m.tick(at: Self.at(8))
        let renewed = held(by: "b", renewed: 8, rv: "8")
        #expect(m.leaseObserved(renewed, at: Self.at(8)) == [.wake(at: Self.ns(10))])
        _ = m.tick(at: Self.at(22.9))
        #expect(m.leaseObserved(renewed, at: Self.at(22.9)) == [.wake(at: Self.ns(24.9))])
        #expect(m.tick(at: Self.at(24.9)) == [.get])
        let takeover = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(24.9), renewTime: Self.wall(24.9), leaseTransitions: 1)
        #expect(m.leaseObserved(renewed, at: Self.at(24.9)) == [.update(takeover, resourceVersion: "8")])
        #expect(m.writeSucceeded(stored(takeover, rv: "9"), at: Self.at(25)) == [.holderObserved("a"), .becomeLeader(until: Self.ns(34.9)), .wake(at: Self.ns(27))])
    }

    @Test func aReleasedLeaseIsTakenAtTheNextReadCountingATransition() {
        var m = machine()
        _ = m.start(at: Self.at(0))
        let released = stored(LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: Self.wall(-1), renewTime: Self.wall(-1), leaseTransitions: 3), rv: "5")
        let claim = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(0), renewTime: Self.wall(0), leaseTransitions: 4)
        #expect(m.leaseObserved(released, at: Self.at(0)) == [.update(claim, resourceVersion: "5")])
    }

    @Test func candidatesReadAgainWithinOneRetryPeriodNeverLater() {
        var early = machine(random: 0.9999)
        _ = early.start(at: Self.at(0))
        #expect(early.leaseObserved(held(by: "b"), at: Self.at(0)) == [.holderObserved("b"), .wake(at: Self.ns(2) - Self.ns(0.5 * 0.9999))])
    }

    @Test func aConflictOnRenewStopsLeadingAtOnceAndTheReplicaReadsTheLeaseAgainAsACandidate() {
        var m = leader()
        _ = m.tick(at: Self.at(2.5))
        #expect(m.conflict(at: Self.at(2.6)) == [.stopLeading(.conflict), .wake(at: Self.ns(4.6))])
        #expect(!m.isLeading)
        #expect(m.tick(at: Self.at(4.6)) == [.get])
        #expect(m.leaseObserved(held(by: "b", renewed: 2.5, transitions: 1, rv: "3"), at: Self.at(4.6)) == [.holderObserved("b"), .wake(at: Self.ns(6.6))])
    }

    @Test func aConflictOnCreateMeansAnotherCandidateWasFirst() {
        var m = machine()
        _ = m.start(at: Self.at(0))
        _ = m.leaseObserved(nil, at: Self.at(0))
        #expect(m.conflict(at: Self.at(0.1)) == [.wake(at: Self.ns(2.1))])
        #expect(m.tick(at: Self.at(2.1)) == [.get])
    }

    @Test func failedRenewalsAreRetriedEachRetryPeriodUntilTheDeadlineStopsLeading() {
        var m = leader()
        _ = m.tick(at: Self.at(2.5))
        #expect(m.requestFailed(at: Self.at(2.6)) == [.wake(at: Self.ns(4.6))])
        #expect(m.tick(at: Self.at(4.6)).first == .update(
            LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(0), renewTime: Self.wall(4.6), leaseTransitions: 0),
            resourceVersion: "1"))
        #expect(m.requestFailed(at: Self.at(9)) == [.wake(at: Self.ns(10))])
        #expect(m.tick(at: Self.at(10)) == [.stopLeading(.renewDeadline), .get])
        #expect(!m.isLeading)
    }

    @Test func theDeadlineStopsLeadingWhileARenewalHangs() {
        var m = leader()
        #expect(m.tick(at: Self.at(2.5)).last == .wake(at: Self.ns(10)))
        #expect(m.tick(at: Self.at(10)) == [.stopLeading(.renewDeadline)])
        // The hung request ends much later: the replica is a candidate again.
        #expect(m.requestFailed(at: Self.at(12.5)) == [.wake(at: Self.ns(14.5))])
        #expect(m.tick(at: Self.at(14.5)) == [.get])
    }

    @Test func aRenewalAnsweredAfterItsDeadlineDoesNotMakeTheReplicaLeadAgain() {
        var m = leader()
        _ = m.tick(at: Self.at(2.5))
        _ = m.tick(at: Self.at(10))
        // Sent at 2.5, it could have kept leading until 12.5; answered at 13, it is too late.
        let renewal = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(0), renewTime: Self.wall(2.5), leaseTransitions: 0)
        #expect(m.writeSucceeded(stored(renewal, rv: "2"), at: Self.at(13)) == [.wake(at: Self.ns(15))])
        #expect(!m.isLeading)
    }

    @Test func aRenewalAnsweredAfterTheDeadlineButStillValidEndsTheTermAndStartsANewOne() {
        var m = leader()
        _ = m.tick(at: Self.at(8))
        // Sent at 8 (it may lead until 18), answered at 10.5, before the tick at 10 was handled.
        let renewal = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(0), renewTime: Self.wall(8), leaseTransitions: 0)
        #expect(m.writeSucceeded(stored(renewal, rv: "2"), at: Self.at(10.5))
            == [.stopLeading(.renewDeadline), .becomeLeader(until: Self.ns(18)), .wake(at: Self.ns(12.5))])
    }

    @Test func leadershipEndsATermAtItsDeadlineEvenBeforeTheElectorSaysSo() {
        let clock = Mutex<UInt64>(0)
        let leadership = Leadership(lease: "kubelua/kubelua", identity: "a", now: { clock.withLock { $0 } })
        #expect(leadership.lead(until: 10) == [.started])
        clock.withLock { $0 = 9 }
        #expect(leadership.isLeading)
        #expect(leadership.lead(until: 19) == [], "a renewal in time")
        clock.withLock { $0 = 19 }
        #expect(!leadership.isLeading)
        // Whoever was told it does not lead has stopped: the renewal is a new term.
        #expect(leadership.lead(until: 25) == [.stopped(.renewDeadline), .started])
        #expect(leadership.stop(.conflict) == [.stopped(.conflict)])
        #expect(leadership.stop(.conflict) == [])
    }

    @Test func anEarlyTickAsksForTheSameWakeUpAgain() {
        var m = leader()
        #expect(m.tick(at: Self.at(1)) == [.wake(at: Self.ns(2.5))])
    }

    @Test func aGracefulStopReleasesTheLeaseAfterLeadingStops() {
        var m = leader()
        let release = LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: Self.wall(3), renewTime: Self.wall(3), leaseTransitions: 0)
        #expect(m.stopRequested(at: Self.at(3)) == [.stopLeading(.released), .release(release, resourceVersion: "1")])
        #expect(m.writeSucceeded(stored(release, rv: "2"), at: Self.at(3.1)) == [.holderObserved(nil), .finished])
    }

    @Test func aStopDuringARenewalReleasesOnceItIsAnswered() {
        var m = leader()
        _ = m.tick(at: Self.at(2.5))
        #expect(m.stopRequested(at: Self.at(2.55)).isEmpty)
        let renewal = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(0), renewTime: Self.wall(2.5), leaseTransitions: 0)
        let release = LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: Self.wall(2.6), renewTime: Self.wall(2.6), leaseTransitions: 0)
        #expect(m.writeSucceeded(stored(renewal, rv: "2"), at: Self.at(2.6))
            == [.renewed(until: Self.ns(12.5)), .stopLeading(.released), .release(release, resourceVersion: "2")])
        // A release that fails leaves the lease to run out.
        #expect(m.requestFailed(at: Self.at(2.7)) == [.finished])
    }

    @Test func aCandidateAskedToStopJustFinishes() {
        var m = machine()
        _ = m.start(at: Self.at(0))
        _ = m.leaseObserved(held(by: "b"), at: Self.at(0))
        #expect(m.stopRequested(at: Self.at(1)) == [.finished])
    }

    @Test func aReportInTheWrongPhaseWarnsAndReadsTheLeaseAgainInReleaseBuilds() {
        var m = machine(assertsOnMisuse: false)
        _ = m.start(at: Self.at(0))
        _ = m.leaseObserved(held(by: "b"), at: Self.at(0))
        let actions = m.writeSucceeded(held(by: "a"), at: Self.at(1))
        #expect(actions.count == 2)
        guard case .warn(let message) = actions.first else { Issue.record("\(actions)"); return }
        #expect(message.hasPrefix("leader election protocol error: writeSucceeded reported while waiting"), "\(message)")
        #expect(actions.last == .wake(at: Self.ns(3)))
    }
}
