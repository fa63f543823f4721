import Foundation
import Testing

@testable import Kube

/// Which shards a replica may hold, without I/O, with client-go's timings (lease 15 s, retry
/// 2 s). `ShardedDaemonTests` drives the same machine through the fake API server.
@Suite struct ShardMembershipStateMachineTests {
    typealias Action = ShardMembershipStateMachine.Action
    typealias Shard = ShardMembershipStateMachine.Shard

    static func ns(_ seconds: Double) -> UInt64 { UInt64((seconds * 1e9).rounded()) }

    /// A member Lease of `holder` as renewed at `renewed` (its wall time means nothing to the machine).
    static func member(_ holder: String, renewed: Double = 0) -> Lease {
        Lease(namespace: "kubelua", name: "kubelua-member-\(holder)", record: LeaseRecord(
            holderIdentity: holder, leaseDurationSeconds: 15, renewTime: Date(timeIntervalSince1970: renewed)))
    }

    static func shards(_ holders: String?..., mine: String) -> [Shard] {
        holders.map { Shard(held: $0 == mine, holder: $0) }
    }

    @Test func aReplicaAloneIsWillingForEveryShard() {
        var m = ShardMembershipStateMachine(identity: "a", shardCount: 3)
        #expect(m.start() == [.list])
        #expect(m.listed([Self.member("a")], shards: Self.shards(nil, nil, nil, mine: "a"), at: Self.ns(0)) == [
            .membersChanged(live: ["a"], quota: 3), .setWilling(shard: 0, true), .setWilling(shard: 1, true), .setWilling(shard: 2, true),
            .wake(at: Self.ns(2)),
        ])
        // Its own member Lease not created yet: it counts itself all the same.
        var early = ShardMembershipStateMachine(identity: "a", shardCount: 2)
        #expect(early.listed([], shards: Self.shards(nil, nil, mine: "a"), at: 0).contains(.membersChanged(live: ["a"], quota: 2)))
    }

    @Test func whenAMemberJoinsTheHolderReleasesItsHighestNumberedExtrasAndTheNewcomerTakesThem() {
        var a = ShardMembershipStateMachine(identity: "a", shardCount: 3)
        _ = a.listed([Self.member("a")], shards: Self.shards(nil, nil, nil, mine: "a"), at: 0)
        #expect(a.listed([Self.member("a"), Self.member("b")], shards: Self.shards("a", "a", "a", mine: "a"), at: Self.ns(2)) == [
            .membersChanged(live: ["a", "b"], quota: 2), .setWilling(shard: 2, false), .wake(at: Self.ns(4)),
        ])
        // b: every shard held by a live member, nothing to take; then a releases 2.
        var b = ShardMembershipStateMachine(identity: "b", shardCount: 3)
        #expect(b.listed([Self.member("a"), Self.member("b")], shards: Self.shards("a", "a", "a", mine: "b"), at: Self.ns(1)) == [
            .membersChanged(live: ["a", "b"], quota: 2), .wake(at: Self.ns(3)),
        ])
        #expect(b.listed([Self.member("a"), Self.member("b")], shards: Self.shards("a", "a", nil, mine: "b"), at: Self.ns(3)) == [
            .setWilling(shard: 2, true), .wake(at: Self.ns(5)),
        ])
        // Holding 2, b wants no more: ceil(3 / 2) is 2, but there is nothing free.
        #expect(b.listed([Self.member("a"), Self.member("b")], shards: Self.shards("a", "a", "b", mine: "b"), at: Self.ns(5)) == [.wake(at: Self.ns(7))])
    }

    @Test func shardsOfAMemberWhoseLeaseStoppedChangingForItsDurationByThisReplicasClockAreTaken() {
        var a = ShardMembershipStateMachine(identity: "a", shardCount: 3)
        let members = [Self.member("a"), Self.member("b", renewed: -31_536_000)]
        let shards = Self.shards("a", "a", "b", mine: "a")
        #expect(a.listed(members, shards: shards, at: Self.ns(0)).contains(.setWilling(shard: 1, true)), "a keeps what it holds")
        // b's renewTime is a year off: only when a saw its record change counts.
        #expect(a.listed(members, shards: shards, at: Self.ns(14.9)) == [.wake(at: Self.ns(16.9))])
        #expect(a.listed(members, shards: shards, at: Self.ns(15)) == [.membersChanged(live: ["a"], quota: 3), .setWilling(shard: 2, true), .wake(at: Self.ns(17))])
    }

    @Test func aRenewedMemberStaysLiveAndAReleasedOneIsGoneAtOnce() {
        var a = ShardMembershipStateMachine(identity: "a", shardCount: 2)
        _ = a.listed([Self.member("a"), Self.member("b", renewed: 0)], shards: Self.shards("a", "b", mine: "a"), at: Self.ns(0))
        #expect(a.listed([Self.member("a"), Self.member("b", renewed: 10)], shards: Self.shards("a", "b", mine: "a"), at: Self.ns(10)) == [.wake(at: Self.ns(12))])
        #expect(a.listed([Self.member("a"), Self.member("b", renewed: 10)], shards: Self.shards("a", "b", mine: "a"), at: Self.ns(24.9)) == [.wake(at: Self.ns(26.9))])
        var released = Self.member("b", renewed: 26)
        released.record.holderIdentity = ""
        #expect(a.listed([Self.member("a"), released], shards: Self.shards("a", "b", mine: "a"), at: Self.ns(26)) == [
            .membersChanged(live: ["a"], quota: 2), .setWilling(shard: 1, true), .wake(at: Self.ns(28)),
        ])
    }

    @Test func aMemberLeaseUnchangedForAnHourIsDeletedOnceAtTheVersionSeenAndNeverThisReplicasOwn() {
        var a = ShardMembershipStateMachine(identity: "a", shardCount: 2)
        let hour = ShardMembershipStateMachine.forgetAfter
        var gone = Self.member("gone"), released = Self.member("left")
        gone.resourceVersion = "7"
        released.resourceVersion = "9"
        released.record.holderIdentity = ""
        var alive = Self.member("b", renewed: 0)
        let shards = Self.shards("a", "b", mine: "a")
        _ = a.listed([Self.member("a"), alive, gone, released], shards: shards, at: 0)
        // b renews: it is never forgotten, however long the others stay unchanged.
        alive.record.renewTime = Date(timeIntervalSince1970: 1)
        #expect(!a.listed([Self.member("a"), alive, gone, released], shards: shards, at: hour - 1).contains { if case .forget = $0 { true } else { false } })
        alive.record.renewTime = Date(timeIntervalSince1970: 2)
        #expect(a.listed([Self.member("a"), alive, gone, released], shards: shards, at: hour) == [
            .forget(member: "kubelua-member-gone", resourceVersion: "7"), .forget(member: "kubelua-member-left", resourceVersion: "9"),
            .wake(at: hour + Self.ns(2)),
        ])
        // Asked once: the delete may have failed (the next round does not ask again at that version).
        alive.record.renewTime = Date(timeIntervalSince1970: 3)
        #expect(a.listed([Self.member("a"), alive, gone, released], shards: shards, at: hour + Self.ns(2)) == [.wake(at: hour + Self.ns(4))])
        // The replica came back (its Lease changed): unchanged for an hour again, it is asked again at its new version.
        gone.resourceVersion = "11"
        gone.record.renewTime = Date(timeIntervalSince1970: 4)
        alive.record.renewTime = Date(timeIntervalSince1970: 4)
        _ = a.listed([Self.member("a"), alive, gone], shards: shards, at: hour + Self.ns(4))
        alive.record.renewTime = Date(timeIntervalSince1970: 5)
        #expect(a.listed([Self.member("a"), alive, gone], shards: shards, at: 2 * hour + Self.ns(4)) == [
            .membersChanged(live: ["a", "b"], quota: 1), .forget(member: "kubelua-member-gone", resourceVersion: "11"), .wake(at: 2 * hour + Self.ns(6)),
        ])
        // This replica's own member Lease is never deleted by it, changed or not.
        var alone = ShardMembershipStateMachine(identity: "a", shardCount: 1)
        _ = alone.listed([Self.member("a")], shards: Self.shards("a", mine: "a"), at: 0)
        #expect(alone.listed([Self.member("a")], shards: Self.shards("a", mine: "a"), at: 2 * hour) == [.wake(at: 2 * hour + Self.ns(2))])
    }

    @Test func replicasPreferDifferentFreeShardsAndAnOvershootIsReleased() {
        let members = ["a", "b", "c"].map { Self.member($0) }
        let free = Self.shards(nil, nil, nil, nil, nil, nil, mine: "x")
        func wanted(_ identity: String) -> [Int] {
            var m = ShardMembershipStateMachine(identity: identity, shardCount: 6)
            return m.listed(members, shards: free, at: 0).compactMap { if case .setWilling(let shard, true) = $0 { shard } else { nil } }
        }
        #expect(wanted("a") == [0, 1])
        #expect(wanted("b") == [2, 3])
        #expect(wanted("c") == [4, 5])
        // b took 3, 4 and 5 while c was not there yet: with c, it keeps 3 and 4 and lets 5 go.
        var b = ShardMembershipStateMachine(identity: "b", shardCount: 6)
        #expect(b.listed(Array(members.prefix(2)), shards: free, at: 0).filter { $0 != .wake(at: Self.ns(2)) } == [
            .membersChanged(live: ["a", "b"], quota: 3), .setWilling(shard: 3, true), .setWilling(shard: 4, true), .setWilling(shard: 5, true),
        ])
        #expect(b.listed(members, shards: Self.shards("a", "a", nil, "b", "b", "b", mine: "b"), at: Self.ns(2)) == [
            .membersChanged(live: ["a", "b", "c"], quota: 2), .setWilling(shard: 5, false), .wake(at: Self.ns(4)),
        ])
    }

    @Test func aFailedListKeepsWhatWasDecidedAndListsAgainAfterARetryPeriod() {
        var a = ShardMembershipStateMachine(identity: "a", shardCount: 2)
        _ = a.listed([Self.member("a")], shards: Self.shards(nil, nil, mine: "a"), at: 0)
        #expect(a.listFailed(at: Self.ns(2)) == [.wake(at: Self.ns(4))])
        #expect(a.tick() == [.list])
        #expect(a.willing == [true, true])
    }
}
