import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// Fault matrix rows about how a watch ends: cleanly, at once, in silence, mid-event, by reset.
@Suite(.timeLimit(.minutes(1)))
struct ReflectorStreamEndTests {
    @Test("row 1: a clean close after N events re-watches from the last RV, no list, no duplicates")
    func cleanCloseRewatchesFromTheLastResourceVersion() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            try h.server.createPod(name: "b")
            h.server.inject(.closeAfter(events: 2), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            let listed = h.server.currentResourceVersion
            try h.server.setPhase(name: "a", "Running")
            let b = try h.server.setPhase(name: "b", "Running")

            #expect(try await h.request(.watch, 1).query("resourceVersion") == listed)
            #expect(try await h.request(.watch, 2).query("resourceVersion") == b.resourceVersion)
            try h.server.createPod(name: "c")
            await h.waitForEvents(5)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update a Running", "update b Running", "add c"])
            #expect(h.requests(.list).count == 1)
            #expect(h.delays.isEmpty)
        }
    }

    @Test("row 2: watches ending at once without events back off (growing, jittered) and relist each round")
    func quickEmptyWatchesBackOffAndRelist() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(.closeAfter(events: 0), on: .watch, .times(3))
            // Every watch lasts no time by the reflector's clock, as on an idle machine.
            let frozen = ContinuousClock.now
            try h.startReflector(now: { frozen })
            let fourth = try await h.request(.watch, 4)
            let listed = h.server.currentResourceVersion

            #expect(fourth.query("resourceVersion") == listed)
            #expect(h.requests(.list).map { $0.query("resourceVersion") } == [nil, listed, listed, listed])
            let delays = h.delays
            #expect(delays.count == 3)
            for (round, delay) in delays.enumerated() {
                #expect(backoffBounds(round: round).contains(delay), "round \(round): \(delay)")
            }
            #expect(delays.enumerated().contains { $1 > backoffBounds(round: $0).lowerBound }, "full jitter adds to the base delay")
            try h.server.createPod(name: "b")
            await h.waitForEvents(2)
            #expect(h.briefs == ["add a initial", "synced", "add b"], "relisting an unchanged cluster delivers nothing")
        }
    }

    @Test("row 6: headers then silence: the idle timer ends the watch and it is re-watched from the last RV")
    func silentWatchIsEndedByTheIdleTimer() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(.hangAfterHeaders, on: .watch, .nth(1))
            // Longer than a second, as in production (T + 5 s): a silent watch is a dead
            // connection, not a failed round (informer.md 7 would back off and relist).
            try h.startReflector(idleTimeout: .milliseconds(1200))
            await h.waitForSynced()
            let listed = h.server.currentResourceVersion

            #expect(try await h.request(.watch, 2).query("resourceVersion") == listed)
            try h.server.setPhase(name: "a", "Running")
            await h.waitForEvents(2)
            #expect(h.briefs == ["add a initial", "synced", "update a Running"])
            #expect(h.requests(.list).count == 1)
            #expect(h.delays.isEmpty)
        }
    }

    @Test("row 7: a watch of only BOOKMARKs calls no handler; the next watch starts at the newest bookmark")
    func bookmarksOnlyAdvanceTheResourceVersion() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            try h.startReflector(query: PodQuery(namespace: "default"))
            await h.waitForSynced()
            _ = try await h.request(.watch, 1)
            // Changes outside the watched namespace: the watch sees only bookmarks.
            try h.server.createPod(namespace: "other", name: "x")
            await h.server.sendBookmarks()
            let newest = try h.server.setPhase(namespace: "other", name: "x", "Running").resourceVersion
            await h.server.sendBookmarks()
            await h.server.closeWatches()

            #expect(try await h.request(.watch, 2).query("resourceVersion") == newest)
            try h.server.setPhase(name: "a", "Running")
            await h.waitForEvents(2)
            #expect(h.briefs == ["add a initial", "synced", "update a Running"])
            #expect(h.requests(.list).count == 1)
        }
    }

    @Test("row 10: events split across chunks, then a cut mid-event: the partial event is dropped, nothing lost")
    func partialEventIsDroppedAndReadAgain() async throws {
        try await withReflectorHarness { h in
            for name in ["a", "b", "c"] { try h.server.createPod(name: name) }
            h.server.inject(.combined([.splitEvents(chunks: 3), .partialEventThenClose(afterEvents: 2)]), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            try h.server.setPhase(name: "a", "Running")
            let b = try h.server.setPhase(name: "b", "Running")
            // Read before the cut: async-http-client drops body bytes it has received but not
            // yet handed on when the connection breaks (they come again on the re-watch).
            await h.waitForEvents(5)
            try h.server.setPhase(name: "c", "Running")

            #expect(try await h.request(.watch, 2).query("resourceVersion") == b.resourceVersion)
            await h.waitForEvents(6)
            #expect(h.briefs == [
                "add a initial", "add b initial", "add c initial", "synced",
                "update a Running", "update b Running", "update c Running",
            ])
            #expect(h.requests(.list).count == 1)
            #expect(h.delays.isEmpty)
        }
    }

    @Test("row 15: connection refused: back off and retry until the server is there")
    func refusedConnectionsBackOffUntilTheServerStarts() async throws {
        let port = try await unusedPort()
        try await withReflectorHarness(holdingSleeps: true, startServer: false, { $0.port = port }) { h in
            try h.server.createPod(name: "a")
            try h.startReflector()
            for round in 1...3 {
                await h.waitForSleeps(round)
                if round < 3 { h.sleeper.release() }
            }
            #expect(!h.isSynced)
            try await h.server.start()
            h.sleeper.release()
            await h.waitForSynced()

            let delays = h.delays
            #expect(delays.count == 3)
            for (round, delay) in delays.enumerated() {
                #expect(backoffBounds(round: round).contains(delay), "round \(round): \(delay)")
            }
            #expect(h.briefs == ["add a initial", "synced"])
            #expect(h.server.requests.first?.kind == .list)
        }
    }

    @Test("row 15: a TCP reset mid-watch re-watches at once from the last RV")
    func resetMidWatchRewatchesAtOnce() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            try h.server.createPod(name: "b")
            h.server.inject(.resetAfter(events: 2), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            let a = try h.server.setPhase(name: "a", "Running")
            await h.waitForEvents(3)
            let b = try h.server.setPhase(name: "b", "Running")

            // b went out just before the reset; async-http-client may drop it unread, and
            // then the re-watch starts after a and brings it again.
            let rewatchedFrom = try #require(try await h.request(.watch, 2).query("resourceVersion"))
            #expect([a.resourceVersion, b.resourceVersion].contains(rewatchedFrom))
            await h.waitForEvents(4)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update a Running", "update b Running"])
            #expect(h.requests(.list).count == 1)
            #expect(h.delays.isEmpty)
        }
    }
}

/// A loopback port nothing listens on (a server bound it, then closed it).
func unusedPort() async throws -> Int {
    let probe = FakeAPIServer()
    try await probe.start()
    let port = probe.port
    try await probe.shutdown()
    return port
}
