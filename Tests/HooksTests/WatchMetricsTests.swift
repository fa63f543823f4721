import FakeAPIServer
import Foundation
import Hooks
import Kube
import PrometheusText
import Testing

/// The watch metrics of `/metrics` over real HTTP, for a daemon on the fake API server whose
/// watches the server ends or expires: restarts and relists with their reasons, and the time of
/// the last list applied.
@Suite(.timeLimit(.minutes(1)))
struct WatchMetricsTests {
    static let hook = ["default/a.lua": "function on_add(pod) end"]

    /// A watch ERROR event with the Status a server sends when the watch's version is compacted away.
    static let expired = FaultAction.event(
        type: "ERROR",
        object: Array(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version","reason":"Expired","code":410}"#.utf8),
        afterEvents: 1)

    @Test func aGoneWatchCountsARelistAndMovesTheLastSync() async throws {
        let setup = try await ObservedDaemon(hooks: Self.hook, pods: ["one"])
        // The first watch expires after the event the test causes, once the first sync is scraped.
        setup.server.inject(Self.expired, on: .watch, .nth(1))
        try await setup.runAfterSync { port in
            let before = try await setup.scrape(port: port)
            let firstSync = try #require(before.value("kubelua_last_sync_timestamp_seconds", ["watch": "default"]))
            #expect(before.value("kubelua_relists_total", ["watch": "default", "reason": "start"]) == 1)
            #expect(before.samples("kubelua_relists_total", where: ["reason": "gone"]).isEmpty)

            try setup.server.createPod(name: "two")
            // The watch after the relist opens once the relist's list is applied (and reported).
            _ = try #require(await setup.server.waitForRequest(.watch, ordinal: 2))
            let after = try await setup.scrape(port: port)
            #expect(after.value("kubelua_relists_total", ["watch": "default", "reason": "gone"]) == 1)
            #expect(after.value("kubelua_relists_total", ["watch": "default", "reason": "start"]) == 1)
            #expect(after.samples("kubelua_watch_restarts_total").isEmpty)
            #expect(try #require(after.value("kubelua_last_sync_timestamp_seconds", ["watch": "default"])) > firstSync)
            #expect(setup.server.requests.filter { $0.kind == .list }.count == 2)
        }
        try await setup.shutdown()
    }

    @Test func aFailedWatchRequestIsCountedWithItsReason() async throws {
        let setup = try await ObservedDaemon(hooks: Self.hook, pods: ["one"])
        setup.server.inject(.refuse(code: 429), on: .watch, .nth(1))
        try await setup.runAfterSync { port in
            _ = try #require(await setup.server.waitForRequest(.watch, ordinal: 2))
            let text = try await setup.scrape(port: port)
            #expect(text.value("kubelua_watch_request_failures_total", ["watch": "default", "request": "watch", "reason": "TooManyRequests"]) == 1)
            #expect(text.value("kubelua_watch_restarts_total", ["watch": "default", "reason": "error"]) == 1)
        }
        try await setup.shutdown()
    }

    @Test func aWatchTheServerEndsCountsARestartWithoutARelist() async throws {
        let setup = try await ObservedDaemon(hooks: Self.hook, pods: ["one"])
        setup.server.inject(.closeAfter(events: 1), on: .watch, .nth(1))
        try await setup.runAfterSync { port in
            try setup.server.createPod(name: "two")
            _ = try #require(await setup.server.waitForRequest(.watch, ordinal: 2))
            let text = try await setup.scrape(port: port)
            #expect(text.value("kubelua_watch_restarts_total", ["watch": "default", "reason": "closed"]) == 1)
            #expect(text.samples("kubelua_relists_total").map(\.labels) == [["watch": "default", "reason": "start"]])
            #expect(text.value("kubelua_relists_total", ["watch": "default", "reason": "start"]) == 1)
            #expect(setup.server.requests.filter { $0.kind == .list }.count == 1)
        }
        try await setup.shutdown()
    }

    @Test func aMalformedWatchEventCountsARelistForAnError() async throws {
        let setup = try await ObservedDaemon(hooks: Self.hook, pods: ["one"])
        setup.server.inject(.garbageLine(afterEvents: 0), on: .watch, .nth(1))
        try await setup.runAfterSync { port in
            // After the backoff (a second or so), the relist's list, then a watch again.
            _ = try #require(await setup.server.waitForRequest(.watch, ordinal: 2))
            let text = try await setup.scrape(port: port)
            #expect(text.value("kubelua_relists_total", ["watch": "default", "reason": "error"]) == 1)
            #expect(text.samples("kubelua_watch_restarts_total").isEmpty)
            #expect(setup.server.requests.filter { $0.kind == .list }.count == 2)
        }
        try await setup.shutdown()
    }

    @Test func aNamespaceFolderAddedCountsARelistForTheQueriesChange() async throws {
        let setup = try await ObservedDaemon(hooks: Self.hook, pods: ["one"], followsFolder: true)
        try await setup.runAfterSync { port in
            try setup.folder.write("staging/b.lua", "function on_add(pod) end")
            _ = try #require(await setup.server.waitForRequest { $0.kind == .watch && $0.path.contains("/namespaces/staging/") })
            let text = try await setup.scrape(port: port)
            #expect(text.value("kubelua_relists_total", ["watch": "staging", "reason": "queries_changed"]) == 1)
            #expect(text.value("kubelua_relists_total", ["watch": "default", "reason": "start"]) == 1)
            #expect(text.samples("kubelua_relists_total").count == 2, "the default watch kept running")
            #expect((text.value("kubelua_last_sync_timestamp_seconds", ["watch": "staging"]) ?? 0) > 1_700_000_000)
            #expect(text.value("kubelua_watch_changes_total") == 2)
        }
        try await setup.shutdown()
    }
}
