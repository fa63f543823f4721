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

    /// An unwilling leader's next round: at 2.5 it renews (the lease stays held) and asks for
    /// its work to be handed over; told it is, it stops leading and releases.
    func handingOver() -> LeaderElectionStateMachine {
        var m = leader()
        _ = m.willingnessChanged(false, at: Self.at(1))
        _ = m.tick(at: Self.at(2.5))
        return m
    }

    static let renewal = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: wall(0), renewTime: wall(2.5), leaseTransitions: 0)

    static func release(at seconds: Double) -> LeaseRecord {
        LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: wall(seconds), renewTime: wall(seconds), leaseTransitions: 0)
    }

    @Test func aLeaderMadeUnwillingHandsItsWorkOverStillLeadingThenReleasesAndStandsAsACandidate() {
        var m = leader()
        #expect(m.willingnessChanged(false, at: Self.at(1)).isEmpty, "it keeps leading until its next round")
        #expect(m.handedOver(at: Self.at(1.5)).isEmpty, "nothing was asked for yet")
        #expect(m.tick(at: Self.at(2.5)) == [.handOver, .update(Self.renewal, resourceVersion: "1"), .wake(at: Self.ns(10))])
        // Still the leader while the hooks finish: the lease is renewed, calls may start.
        #expect(m.writeSucceeded(stored(Self.renewal, rv: "2"), at: Self.at(2.6)) == [.renewed(until: Self.ns(12.5)), .wake(at: Self.ns(4.6))])
        #expect(m.isLeading)
        #expect(m.willingnessChanged(true, at: Self.at(2.8)).isEmpty, "asked once, the hand-over goes on")
        #expect(m.handedOver(at: Self.at(3)) == [.stopLeading(.released), .release(Self.release(at: 3), resourceVersion: "2")])
        #expect(!m.isLeading)
        // Not finished: it reads the lease again as a candidate.
        #expect(m.writeSucceeded(stored(Self.release(at: 3), rv: "3"), at: Self.at(3.1)) == [.holderObserved(nil), .wake(at: Self.ns(5.1))])
        _ = m.willingnessChanged(false, at: Self.at(4))
        #expect(m.tick(at: Self.at(5.1)) == [.get])
        #expect(m.leaseObserved(stored(Self.release(at: 3), rv: "3"), at: Self.at(5.1)) == [.wake(at: Self.ns(7.1))], "unwilling: not taken back")
        // Willing again, it takes it back at once.
        let claim = LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: Self.wall(6), renewTime: Self.wall(6), leaseTransitions: 1)
        #expect(m.willingnessChanged(true, at: Self.at(6)) == [.get])
        #expect(m.leaseObserved(stored(Self.release(at: 3), rv: "3"), at: Self.at(6)) == [.update(claim, resourceVersion: "3")])
    }

    @Test func handedOverWhileARenewalIsInFlightReleasesOnceItIsAnswered() {
        var m = handingOver()
        #expect(m.handedOver(at: Self.at(2.55)).isEmpty)
        #expect(m.writeSucceeded(stored(Self.renewal, rv: "2"), at: Self.at(2.6)) == [
            .renewed(until: Self.ns(12.5)), .stopLeading(.released), .release(Self.release(at: 2.6), resourceVersion: "2"),
        ])
        // A renewal that failed: the release goes out at the next round instead of a renewal.
        var failed = handingOver()
        _ = failed.handedOver(at: Self.at(2.55))
        #expect(failed.requestFailed(at: Self.at(2.6)) == [.wake(at: Self.ns(4.6))])
        #expect(failed.tick(at: Self.at(4.6)) == [.stopLeading(.released), .release(Self.release(at: 4.6), resourceVersion: "1")])
    }

    @Test func aHandOverEndsWithItsTermAndAReleaseThatFailsOrIsRefusedLeavesACandidateAndAStopStillFinishes() {
        // Another replica wrote the lease meanwhile: the term is over, nothing is released.
        var lost = handingOver()
        #expect(lost.conflict(at: Self.at(2.6)) == [.stopLeading(.conflict), .wake(at: Self.ns(4.6))])
        #expect(lost.handedOver(at: Self.at(3)).isEmpty)
        for refusal in [true, false] {
            var m = handingOver()
            _ = m.writeSucceeded(stored(Self.renewal, rv: "2"), at: Self.at(2.6))
            _ = m.handedOver(at: Self.at(3))
            let answer = refusal ? m.conflict(at: Self.at(3.1)) : m.requestFailed(at: Self.at(3.1))
            #expect(answer == [.wake(at: Self.ns(5.1))])
            #expect(!m.isLeading)
        }
        var stopping = handingOver()
        _ = stopping.writeSucceeded(stored(Self.renewal, rv: "2"), at: Self.at(2.6))
        _ = stopping.handedOver(at: Self.at(3))
        #expect(stopping.stopRequested(at: Self.at(3.05)).isEmpty)
        #expect(stopping.writeSucceeded(stored(Self.release(at: 3), rv: "3"), at: Self.at(3.1)) == [.holderObserved(nil), .finished])
    }
}
