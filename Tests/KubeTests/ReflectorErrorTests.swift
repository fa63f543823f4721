import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// Fault matrix rows about refused or broken responses: bad frames, throttling, server errors.
@Suite(.timeLimit(.minutes(1)))
struct ReflectorErrorTests {
    @Test("row 11: a garbage line, an unknown event type, or a string Lua would refuse backs off and relists; the reflector keeps running", arguments: [
        FaultAction.garbageLine(afterEvents: 1), .unknownEventType(afterEvents: 1),
        // A pod whose label (a field the informer does not read) has an escape outside RFC 8259
        // (see docs/informer.md, "JSON").
        .event(type: "MODIFIED", object: Array(podJSON("bad", uid: "uid-bad", resourceVersion: "1")
            .replacingOccurrences(of: #""app":"x""#, with: #""app":"x\q""#).utf8), afterEvents: 1),
    ])
    func badFrameBacksOffAndRelists(_ fault: FaultAction) async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            try h.server.createPod(name: "b")
            h.server.inject(fault, on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            // The bad frame comes right after a's change, ahead of b's.
            let a = try h.server.setPhase(name: "a", "Running")
            let b = try h.server.setPhase(name: "b", "Running")

            #expect(try await h.request(.watch, 2).query("resourceVersion") == b.resourceVersion)
            #expect(h.requests(.list).map { $0.query("resourceVersion") } == [nil, a.resourceVersion], "a's event, read before the bad frame, was applied")
            #expect(h.delays.count == 1)
            #expect(h.delays.allSatisfy(backoffBounds(round: 0).contains))
            try h.server.createPod(name: "c")
            await h.waitForEvents(5)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update a Running", "update b Running", "add c"])
        }
    }

    @Test("row 12: 429 on the list and on the watch waits at least Retry-After; a watch 429 does not relist")
    func throttlingWaitsForRetryAfter() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(.tooManyRequests(retryAfterSeconds: 7), on: .list, .nth(1))
            h.server.inject(.tooManyRequests(retryAfterSeconds: 5), on: .watch, .nth(1))
            h.server.inject(.errorEvent(code: 429), on: .watch, .nth(2))
            try h.startReflector()
            let third = try await h.request(.watch, 3)
            let listed = h.server.currentResourceVersion

            let delays = h.delays
            #expect(delays.count == 3)
            #expect(delays.count == 3 && delays[0] >= .seconds(7) && delays[1] >= .seconds(5) && delays[2] >= .seconds(1))
            #expect(h.requests(.list).count == 2, "the refused list is retried; the watch 429s relist nothing")
            #expect(h.requests(.watch).map { $0.query("resourceVersion") } == [listed, listed, listed])
            #expect(third.query("resourceVersion") == listed)
            #expect(h.briefs == ["add a initial", "synced"])
        }
    }

    @Test("row 13: 500 and 503 on the list back off and retry; not synced until a list succeeds")
    func serverErrorsOnTheListRetryUnsynced() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(.status(code: 500), on: .list, .nth(1))
            h.server.inject(.status(code: 503), on: .list, .nth(2))
            try h.startReflector()
            await h.waitForSynced()

            let order = h.timeline.all.map { occurrence -> String in
                switch occurrence {
                case .slept: "sleep"
                case .delivered(.events): "events"
                case .delivered(.synced): "synced"
                }
            }
            #expect(order == ["sleep", "sleep", "events", "synced"])
            #expect(h.delays.count == 2)
            for (round, delay) in h.delays.enumerated() {
                #expect(backoffBounds(round: round).contains(delay), "round \(round): \(delay)")
            }
            #expect(h.requests(.list).count == 3)
            #expect(h.briefs == ["add a initial", "synced"])
        }
    }
}
