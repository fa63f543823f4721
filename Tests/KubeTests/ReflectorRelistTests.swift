import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// Fault matrix rows that end in a relist: 410s, missed deletes and recreations, expired
/// continue tokens, other ERROR events, a too large resource version.
@Suite(.timeLimit(.minutes(1)))
struct ReflectorRelistTests {
    /// Pods a and b; the first watch delivers one event (a's phase change) and closes, the
    /// second gets `gone`. Returns a's and b's changed versions.
    private func syncThenLoseTheWatch(_ h: ReflectorHarness, gone: FaultAction) async throws -> (a: FakePod, b: FakePod) {
        try h.server.createPod(name: "a")
        try h.server.createPod(name: "b")
        h.server.inject(.closeAfter(events: 1), on: .watch, .nth(1))
        h.server.inject(gone, on: .watch, .nth(2))
        try h.startReflector()
        await h.waitForSynced()
        // The first watch starts from the list's version either way, so it sees a's change
        // and closes before b's.
        return (try h.server.setPhase(name: "a", "Running"), try h.server.setPhase(name: "b", "Running"))
    }

    private func expectRelistFromLastThenWatchFromList(_ gone: FaultAction) async throws {
        try await withReflectorHarness { h in
            let (a, b) = try await syncThenLoseTheWatch(h, gone: gone)

            #expect(try await h.request(.watch, 3).query("resourceVersion") == b.resourceVersion)
            #expect(h.requests(.watch)[1].query("resourceVersion") == a.resourceVersion)
            #expect(h.requests(.list).map { $0.query("resourceVersion") } == [nil, a.resourceVersion])
            try h.server.createPod(name: "c")
            await h.waitForEvents(5)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update a Running", "update b Running", "add c"])
            #expect(!h.events.all.contains { String(decoding: $0.pod.json, as: UTF8.self).contains(#""kind":"Status""#) })
            #expect(h.delays.isEmpty, "a 410 relists at once")
        }
    }

    @Test("row 3: HTTP 410 on the watch relists from the last RV, then watches from the list's RV")
    func goneOnTheWatchRequest() async throws {
        try await expectRelistFromLastThenWatchFromList(.status(code: 410))
    }

    @Test("row 4: HTTP 200 then an ERROR 410 event: as row 3, and the ERROR object reaches no handler")
    func goneAsAnErrorEvent() async throws {
        try await expectRelistFromLastThenWatchFromList(.errorEvent(code: 410))
    }

    @Test("row 5: a relist from the last RV that is itself 410 lists again with RV \"\" at once")
    func goneRelistListsFromScratch() async throws {
        try await withReflectorHarness { h in
            h.server.inject(.status(code: 410), on: .list, .nth(2))
            let (a, b) = try await syncThenLoseTheWatch(h, gone: .status(code: 410))

            #expect(try await h.request(.watch, 3).query("resourceVersion") == b.resourceVersion)
            let lists = h.requests(.list)
            #expect(lists.map { $0.query("resourceVersion") } == [nil, a.resourceVersion, nil])
            #expect(lists[2].sequence == lists[1].sequence + 1, "nothing in between")
            #expect(h.delays.isEmpty)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update a Running", "update b Running"])
        }
    }

    @Test("row 8: a pod deleted while disconnected, then 410: the relist delivers a tombstone with the last known pod")
    func deleteMissedDuringADisconnectIsATombstone() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            try h.server.createPod(name: "b")
            h.server.inject(.closeAfter(events: 1), on: .watch, .nth(1))
            h.server.inject(.errorEvent(code: 410), on: .watch, .nth(2))
            try h.startReflector()
            await h.waitForSynced()
            let listedB = try #require(h.events.all.first { $0.pod.key.name == "b" }?.pod)
            try h.server.setPhase(name: "a", "Running")
            try h.server.delete(name: "b")

            _ = try await h.request(.watch, 3)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update a Running", "delete b tombstone"])
            #expect(h.events.all.last?.pod == listedB)
        }
    }

    @Test("row 9: a pod recreated (new UID) while disconnected: delete(old) then add(new), once each")
    func recreatedPodIsDeletedThenAdded() async throws {
        try await withReflectorHarness { h in
            let old = try h.server.createPod(name: "a")
            try h.server.createPod(name: "b")
            h.server.inject(.closeAfter(events: 1), on: .watch, .nth(1))
            h.server.inject(.errorEvent(code: 410), on: .watch, .nth(2))
            try h.startReflector()
            await h.waitForSynced()
            try h.server.setPhase(name: "b", "Running")
            try h.server.delete(name: "a")
            let new = try h.server.createPod(name: "a")

            _ = try await h.request(.watch, 3)
            try h.server.setPhase(name: "a", "Running")
            let events = await h.waitForEvents(6)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update b Running", "delete a tombstone", "add a", "update a Running"])
            #expect(events[3].pod.uid == old.uid)
            #expect(events[4].pod.uid == new.uid)
            #expect(events[5].old?.uid == new.uid && events[5].pod.uid == new.uid)
        }
    }

    @Test("row 14: a continue token expiring on the first list: one full list without limit")
    func expiredContinueOnTheFirstListRedoesOneFullList() async throws {
        try await withReflectorHarness { h in
            for index in 0..<5 { try h.server.createPod(name: "p\(index)") }
            h.server.inject(.expiredContinue, on: .continuePage)
            try h.startReflector(pageSize: 2)
            await h.waitForSynced()

            let lists = h.requests(.list)
            #expect(lists.map { $0.query("limit") } == ["2", "2", nil])
            #expect(lists[2].query("continue") == nil && lists[2].query("resourceVersion") == nil)
            #expect(h.briefs == (0..<5).map { "add p\($0) initial" } + ["synced"])
            #expect(h.delays.isEmpty)
        }
    }

    @Test("row 14: a continue token expiring on a relist: never a partial replace")
    func expiredContinueOnARelistAppliesNoPartialList() async throws {
        try await withReflectorHarness { h in
            for index in 0..<5 { try h.server.createPod(name: "p\(index)") }
            h.server.inject(.status(code: 410), on: .watch, .nth(1))
            h.server.inject(.expiredContinue, on: .page(2), .nth(2))
            try h.startReflector(pageSize: 2)

            _ = try await h.request(.watch, 2)
            let lists = h.requests(.list)
            #expect(lists.map { $0.page } == [1, 2, 3, 1, 2, 1])
            #expect(lists.last?.query("limit") == nil && lists.last?.query("continue") == nil)
            try h.server.setPhase(name: "p4", "Running")
            await h.waitForEvents(6)
            // Had the first page been applied alone, p2...p4 would have been tombstoned.
            #expect(h.briefs == (0..<5).map { "add p\($0) initial" } + ["synced", "update p4 Running"])
        }
    }

    @Test("row 16: an ERROR event with code 500 backs off, then relists")
    func serverErrorEventRelists() async throws {
        try await withReflectorHarness(holdingSleeps: true) { h in
            try h.server.createPod(name: "a")
            h.server.inject(.errorEvent(code: 500), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            let listed = h.server.currentResourceVersion
            let delay = try #require(await h.waitForSleeps(1).first)
            #expect(backoffBounds(round: 0).contains(delay))
            // Changed while the reflector backs off: only the relist can bring it.
            let a = try h.server.setPhase(name: "a", "Running")
            h.sleeper.release()

            #expect(try await h.request(.watch, 2).query("resourceVersion") == a.resourceVersion)
            #expect(h.requests(.list).map { $0.query("resourceVersion") } == [nil, listed])
            #expect(h.briefs == ["add a initial", "synced", "update a Running"])
        }
    }

    @Test("row 17: 504 too large resource version relists with RV \"\"", arguments: [
        FaultAction.status(code: 504), .errorEvent(code: 504),
    ])
    func tooLargeResourceVersionRelistsFromScratch(_ fault: FaultAction) async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(fault, on: .watch, .nth(1))
            try h.startReflector()
            let listed = h.server.currentResourceVersion

            #expect(try await h.request(.watch, 2).query("resourceVersion") == listed)
            #expect(h.requests(.list).map { $0.query("resourceVersion") } == [nil, nil])
            #expect(h.delays.count == 1)
            #expect(h.briefs == ["add a initial", "synced"])
        }
    }
}
