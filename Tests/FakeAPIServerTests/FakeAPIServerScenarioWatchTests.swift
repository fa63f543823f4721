import FakeAPIClient
import FakeAPIServer
import Foundation
import Testing

/// What tests make the server do to open watches: bookmarks and clean ends on demand, and
/// events the store does not hold.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerScenarioWatchTests {
    @Test func closeWatchesEndsEachWatchCleanlyAfterItsQueuedEvents() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "a")
            let from = server.currentResourceVersion
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=\(from)")
            try server.setPhase(name: "a", "Running")
            await server.closeWatches()
            #expect(await watch.rest().map(\.type) == ["MODIFIED"])
            #expect(watch.end == .complete)
        }
    }

    @Test func sendBookmarksReachesOnlyWatchesThatAskedForThem() async throws {
        try await withFakeServer { server, client in
            let asked = try await client.open("GET", "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=\(server.currentResourceVersion)")
            let other = try await WireClient(port: server.port).open("GET", "/api/v1/pods?watch=true&resourceVersion=\(server.currentResourceVersion)")
            try server.createPod(namespace: "x", name: "a")
            await server.sendBookmarks()
            await server.closeWatches()
            let lines = await asked.rest()
            #expect(lines.map(\.type) == ["ADDED", "BOOKMARK"])
            #expect(lines.last?.resourceVersion == server.currentResourceVersion)
            #expect(await other.rest().map(\.type) == ["ADDED"])
        }
    }

    @Test func injectedEventIsWrittenWhateverTheStoreHolds() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "a")
            try server.createPod(name: "b")
            let ghost = Array(#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"ghost","namespace":"default","resourceVersion":"5"}}"#.utf8)
            server.inject(.event(type: "DELETED", object: ghost, afterEvents: 1), on: .watch)
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            let lines = await watch.lines(3)
            #expect(lines.map(\.type) == ["ADDED", "DELETED", "ADDED"])
            #expect(lines.map(\.name) == ["a", "ghost", "b"])
            #expect(server.pod(name: "ghost") == nil)
            watch.close()
        }
    }
}
