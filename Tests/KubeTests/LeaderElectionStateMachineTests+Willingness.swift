import Foundation
import Testing

@testable import Kube

/// Shards: a replica takes a shard's lease only while its quota lets it (`willingnessChanged`).
extension LeaderElectionStateMachineTests {
    @Test func anUnwillingCandidateReadsTheLeaseButNeverTakesItNotEvenAFreeOne() {
        var m = LeaderElectionStateMachine(identity: "a", willing: false, random: { 0 })
        #expect(m.start(at: Self.at(0)) == [.get])
        #expect(m.leaseObserved(nil, at: Self.at(0)) == [.wake(at: Self.ns(2))], "no create")
        #expect(m.tick(at: Self.at(2)) == [.get])
        let released = stored(LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 3), rv: "5")
        #expect(m.leaseObserved(released, at: Self.at(2)) == [.wake(at: Self.ns(4))], "no update")
        #expect(!m.isLeading)
    }

    @Test func aCandidateMadeWillingWhileItWaitsReadsTheLeaseAtOnceAndTakesAFreeOne() {
        var m = LeaderElectionStateMachine(identity: "a", willing: false, random: { 0 })
        _ = m.start(at: Self.at(0))
        _ = m.leaseObserved(held(by: "b"), at: Self.at(0))
        #expect(m.willingnessChanged(false, at: Self.at(0.5)).isEmpty, "no change, nothing to do")
        #expect(m.willingnessChanged(true, at: Self.at(1)) == [.get])
        let released = stored(LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 1), rv: "8")
        let claim = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(1), renewTime: Self.wall(1), leaseTransitions: 2)
        #expect(m.leaseObserved(released, at: Self.at(1)) == [.holderObserved(nil), .update(claim, resourceVersion: "8")])
        // Made willing during a request: that request's answer decides; no second one goes out.
        var busy = LeaderElectionStateMachine(identity: "a", willing: false, random: { 0 })
        _ = busy.start(at: Self.at(0))
        #expect(busy.willingnessChanged(true, at: Self.at(0.1)).isEmpty)
    }

    @Test func aLeaderMadeUnwillingStopsLeadingAndReleasesAtItsNextRoundThenStandsAsACandidate() {
        var m = leader()
        #expect(m.willingnessChanged(false, at: Self.at(1)).isEmpty, "it keeps leading until its next round")
        #expect(m.isLeading)
        let release = LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: Self.wall(2.5), renewTime: Self.wall(2.5), leaseTransitions: 0)
        #expect(m.tick(at: Self.at(2.5)) == [.stopLeading(.released), .release(release, resourceVersion: "1")])
        #expect(!m.isLeading)
        // Not finished: it reads the lease again as a candidate, and does not take it back.
        #expect(m.writeSucceeded(stored(release, rv: "2"), at: Self.at(2.6)) == [.holderObserved(nil), .wake(at: Self.ns(4.6))])
        #expect(m.tick(at: Self.at(4.6)) == [.get])
        #expect(m.leaseObserved(stored(release, rv: "2"), at: Self.at(4.6)) == [.wake(at: Self.ns(6.6))])
        // Willing again, it takes it back at once.
        let claim = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(5), renewTime: Self.wall(5), leaseTransitions: 1)
        #expect(m.willingnessChanged(true, at: Self.at(5)) == [.get])
        #expect(m.leaseObserved(stored(release, rv: "2"), at: Self.at(5)) == [.update(claim, resourceVersion: "2")])
    }

    @Test func anUnwillingLeadersFailedOrRefusedReleaseLeavesItACandidateAndAStopStillFinishes() {
        var failed = leader()
        _ = failed.willingnessChanged(false, at: Self.at(1))
        _ = failed.tick(at: Self.at(2.5))
        #expect(failed.requestFailed(at: Self.at(2.6)) == [.wake(at: Self.ns(4.6))])
        var refused = leader()
        _ = refused.willingnessChanged(false, at: Self.at(1))
        _ = refused.tick(at: Self.at(2.5))
        #expect(refused.conflict(at: Self.at(2.6)) == [.wake(at: Self.ns(4.6))])
        var stopping = leader()
        _ = stopping.willingnessChanged(false, at: Self.at(1))
        let release = LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: Self.wall(2.5), renewTime: Self.wall(2.5), leaseTransitions: 0)
        _ = stopping.tick(at: Self.at(2.5))
        #expect(stopping.stopRequested(at: Self.at(2.55)).isEmpty)
        #expect(stopping.writeSucceeded(stored(release, rv: "2"), at: Self.at(2.6)) == [.holderObserved(nil), .finished])
    }
}
