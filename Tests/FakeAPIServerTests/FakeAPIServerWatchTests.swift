import FakeAPIServer
import Foundation
import Testing

/// Watch semantics: versions, synthetic ADDED, compaction, bookmarks, timeouts, selectors.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerWatchTests {
    @Test func watchFromVersionDeliversOnlyLaterEventsThenLiveOnes() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "a")
            let from = server.currentResourceVersion
            try server.setPhase(name: "a", "Running")
            try server.createPod(name: "b")
            let watch = try await client.open("GET", "/api/v1/namespaces/default/pods?watch=true&resourceVersion=\(from)")
            #expect(watch.status == 200)
            #expect(watch.header("Transfer-Encoding") == "chunked")
            try server.delete(name: "a")
            let lines = await watch.lines(3)
            #expect(lines.map(\.type) == ["MODIFIED", "ADDED", "DELETED"])
            #expect(lines.map(\.name) == ["a", "b", "a"])
            let versions = lines.compactMap { $0.resourceVersion.flatMap { Int($0) } }
            #expect(versions == versions.sorted() && versions.allSatisfy { $0 > Int(from)! })
            #expect(lines.last?.resourceVersion == server.currentResourceVersion, "DELETED carries the deletion's version")
        }
    }

    @Test(arguments: ["0", ""])
    func watchFromZeroOrEmptyStartsWithSyntheticAdded(_ version: String) async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "a")
            try server.createPod(name: "b")
            try server.setPhase(name: "a", "Running")
            let watch = try await client.open("GET", "/api/v1/pods?watch=1&resourceVersion=\(version)")
            let initial = await watch.lines(2)
            #expect(initial.map(\.type) == ["ADDED", "ADDED"])
            #expect(Set(initial.compactMap(\.name)) == ["a", "b"])
            try server.createPod(name: "c")
            let live = await watch.lines(1)
            #expect(live.map(\.type) == ["ADDED"])
            #expect(live.first?.name == "c")
        }
    }

    @Test func watchFromCompactedVersionGetsErrorEvent410() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "a")
            let old = server.currentResourceVersion
            try server.setPhase(name: "a", "Running")
            try server.setPhase(name: "a", "Succeeded")
            server.compact()
            let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=\(old)")
            #expect(response.status == 200)
            #expect(response.end == .complete)
            let lines = response.lines
            #expect(lines.count == 1)
            #expect(lines.first?.type == "ERROR")
            #expect(lines.first?.code == 410)
            #expect(lines.first?.reason == "Expired")
            let object = try #require(lines.first?.object)
            #expect(object["kind"] as? String == "Status")
            #expect(object["status"] as? String == "Failure")
            #expect(object["message"] as? String == "too old resource version: \(old) (\(server.compactedResourceVersion))")
        }
    }

    @Test func historyWindowIsBounded() async throws {
        try await withFakeServer({ $0.historyLimit = 3 }) { server, client in
            try server.createPod(name: "a")
            let old = server.currentResourceVersion
            for phase in ["Running", "Failed", "Running", "Succeeded"] { try server.setPhase(name: "a", phase) }
            let expired = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=\(old)")
            #expect(expired.lines.first?.code == 410)
            let recent = String(Int(server.currentResourceVersion)! - 2)
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=\(recent)")
            #expect(await watch.lines(2).map(\.type) == ["MODIFIED", "MODIFIED"])
        }
    }

    @Test func watchFromFutureVersionIs504() async throws {
        try await withFakeServer { _, client in
            let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=99999999")
            #expect(response.status == 504)
            #expect(response.json["reason"] as? String == "Timeout")
        }
    }

    @Test func bookmarksCarryTheCurrentVersion() async throws {
        try await withFakeServer({ $0.bookmarkInterval = .milliseconds(20) }) { server, client in
            try server.createPod(name: "a")
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=\(server.currentResourceVersion)")
            let bookmark = try #require(await watch.nextLine())
            #expect(bookmark.type == "BOOKMARK")
            #expect(bookmark.resourceVersion == server.currentResourceVersion)
            #expect(bookmark.object?["kind"] as? String == "Pod")
            #expect(bookmark.name == nil)
            try server.createPod(name: "b")
            var next = try #require(await watch.nextLine())
            while next.type == "BOOKMARK" { next = try #require(await watch.nextLine()) }
            #expect(next.type == "ADDED")
            var later = try #require(await watch.nextLine())
            while later.type != "BOOKMARK" { later = try #require(await watch.nextLine()) }
            #expect(later.resourceVersion == next.resourceVersion)
        }
    }

    @Test func noBookmarksUnlessAsked() async throws {
        try await withFakeServer({ $0.bookmarkInterval = .milliseconds(10); $0.defaultWatchTimeout = .milliseconds(200) }) { server, client in
            let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=\(server.currentResourceVersion)")
            #expect(response.end == .complete)
            #expect(response.lines.isEmpty)
        }
    }

    @Test func timeoutSecondsEndsTheWatchCleanly() async throws {
        try await withFakeServer { server, client in
            let start = ContinuousClock.now
            let response = try await client.request("GET", "/api/v1/pods?watch=true&timeoutSeconds=1&resourceVersion=\(server.currentResourceVersion)")
            let elapsed = ContinuousClock.now - start
            #expect(response.status == 200)
            #expect(response.end == .complete)
            #expect(response.chunks.isEmpty)
            // Not before the timeout; that it ends at all is what the suite's time limit checks
            // (without `timeoutSeconds` this watch would stay open).
            #expect(elapsed >= .milliseconds(900))
            #expect(server.activeWatchCount == 0)
        }
    }

    @Test func labelSelectorLeaveAndEnterBecomeDeletedAndAdded() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "p", labels: ["app": "web"])
            let before = try #require(server.pod(name: "p"))
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&labelSelector=app%3Dweb&resourceVersion=\(server.currentResourceVersion)")
            try server.setLabels(name: "p", ["app": "api"])
            try server.setLabels(name: "p", ["team": "x"]) // still not matching: nothing
            try server.setLabels(name: "p", ["app": "web"])
            try server.setPhase(name: "p", "Running")
            let lines = await watch.lines(3)
            #expect(lines.map(\.type) == ["DELETED", "ADDED", "MODIFIED"])
            // The DELETED carries the last matching state at the leaving change's version.
            let left = try #require(lines.first?.object)
            #expect((metadata(left)["labels"] as? [String: String])?["app"] == "web")
            #expect(lines[0].resourceVersion == String(Int(before.resourceVersion)! + 1))
            #expect(lines[1].resourceVersion == String(Int(before.resourceVersion)! + 3))
        }
    }

    @Test func fieldSelectorOnPhase() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "p")
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&fieldSelector=status.phase%3DRunning&resourceVersion=0")
            try server.setPhase(name: "p", "Running")
            try server.setPhase(name: "p", "Succeeded")
            #expect(await watch.lines(2).map(\.type) == ["ADDED", "DELETED"])
        }
    }

    @Test func deleteEventCarriesLastObject() async throws {
        try await withFakeServer { server, client in
            let pod = try server.createPod(name: "p", labels: ["k": "v"])
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=\(pod.resourceVersion)")
            let deleted = try await client.request("DELETE", "/api/v1/namespaces/default/pods/p")
            #expect(deleted.status == 200)
            let line = try #require(await watch.nextLine())
            #expect(line.type == "DELETED")
            #expect(line.uid == pod.uid)
            #expect(line.resourceVersion == server.currentResourceVersion)
            #expect((metadata(line.object ?? [:])["labels"] as? [String: String]) == ["k": "v"])
        }
    }

    @Test func namespacedWatchSeesOnlyItsNamespace() async throws {
        try await withFakeServer { server, client in
            let watch = try await client.open("GET", "/api/v1/namespaces/a/pods?watch=true&resourceVersion=\(server.currentResourceVersion)")
            try server.createPod(namespace: "b", name: "other")
            try server.createPod(namespace: "a", name: "mine")
            #expect(await watch.lines(1).first?.name == "mine")
        }
    }

    @Test func requestStreamAnnouncesTheNthWatch() async throws {
        try await withFakeServer { server, client in
            async let second = server.waitForRequest(.watch, ordinal: 2)
            let first = try await client.open("GET", "/api/v1/pods?watch=true")
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&allowWatchBookmarks=true",
                                              headers: [("Authorization", "Bearer secret")])
            let request = try #require(await second)
            #expect(request.ordinal == 2)
            #expect(request.kind == .watch)
            #expect(request.query("allowWatchBookmarks") == "true")
            #expect(request.header("authorization") == "<redacted>")
            #expect(request.auth == .notRequired)
            first.close()
            watch.close()
        }
    }
}
