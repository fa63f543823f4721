import FakeAPIClient
import FakeAPIServer
import Foundation
import Testing

/// Every fault action, observed on the wire.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerFaultTests {
    /// Three pods, so a watch from "0" starts with three ADDED events.
    private func seed(_ server: FakeAPIServer) throws {
        for name in ["a", "b", "c"] { try server.createPod(name: name) }
    }

    @Test func closeAfterEventsEndsTheWatchCleanly() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.closeAfter(events: 2), on: .watch)
            let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            #expect(response.end == .complete)
            #expect(response.lines.map(\.type) == ["ADDED", "ADDED"])
            #expect(server.requests.last?.fault == .closeAfter(events: 2))
            // The connection stays usable and the next watch is normal.
            #expect(server.pendingFaults.isEmpty)
        }
    }

    @Test func closeAfterZeroOnEveryWatch() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.closeAfter(events: 0), on: .watch, .always)
            for _ in 0..<3 {
                let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=0")
                #expect(response.status == 200 && response.end == .complete && response.body.isEmpty)
            }
            #expect(server.pendingFaults.count == 1)
        }
    }

    @Test func resetAfterEventsResetsTheConnection() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.resetAfter(events: 1), on: .watch)
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            let lines = await watch.rest()
            #expect(lines.map(\.type) == ["ADDED"])
            #expect(watch.end == .reset)
        }
    }

    @Test func resetOnAListMeansNoResponse() async throws {
        try await withFakeServer { server, client in
            server.inject(.resetAfter(events: 0), on: .list)
            await #expect(throws: WireError.noResponse(.reset)) {
                _ = try await client.request("GET", "/api/v1/pods")
            }
            server.inject(.closeAfter(events: 0), on: .list)
            await #expect(throws: WireError.noResponse(.closed)) {
                _ = try await client.request("GET", "/api/v1/pods")
            }
        }
    }

    @Test func cuttingOneClientOffResetsItsRequestsAndClosesItsWatchesButNotTheOthers() async throws {
        try await withFakeServer { server, _ in
            try seed(server)
            let cut = WireClient(port: server.port, bearerToken: "replica-a")
            let other = WireClient(port: server.port, bearerToken: "replica-b")
            let watch = try await cut.open("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            #expect(await watch.nextLine()?.type == "ADDED")
            let id = await server.cutOff(bearerToken: "replica-a")
            // Its open watch ends, and what it sends next gets no answer.
            _ = await watch.rest()
            #expect(watch.end != nil)
            await #expect(throws: WireError.noResponse(.reset)) {
                _ = try await cut.request("GET", "/apis/coordination.k8s.io/v1/namespaces/kubelua/leases/kubelua")
            }
            #expect(try await other.request("GET", "/api/v1/pods").status == 200)
            // Healed: the client is answered again.
            server.removeFault(id)
            #expect(try await cut.request("GET", "/api/v1/pods").status == 200)
        }
    }

    @Test func splitEventsFramesEachEventAsKChunks() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.combined([.splitEvents(chunks: 3), .closeAfter(events: 3)]), on: .watch)
            let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            #expect(response.chunks.count == 9)
            #expect(response.chunks.allSatisfy { !$0.contains(10) || $0.last == 10 })
            #expect(response.lines.map(\.type) == ["ADDED", "ADDED", "ADDED"])
        }
    }

    @Test func splitListBody() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.splitEvents(chunks: 4), on: .list)
            let response = try await client.request("GET", "/api/v1/pods")
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.chunks.count == 4)
            #expect(itemNames(response.json) == ["a", "b", "c"])
        }
    }

    @Test func partialEventThenClose() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.partialEventThenClose(afterEvents: 1), on: .watch)
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            let lines = await watch.rest()
            #expect(lines.map(\.type) == ["ADDED"])
            #expect(watch.end == .closed)
            #expect(!watch.leftover.isEmpty)
            #expect(String(decoding: watch.leftover, as: UTF8.self).hasPrefix("{\"type\":\"ADDED\""))
        }
    }

    @Test func partialListBody() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.partialEventThenClose(afterEvents: 0), on: .list)
            let response = try await client.request("GET", "/api/v1/pods")
            #expect(response.status == 200)
            #expect(response.end == .closed)
            #expect(response.body.count < Int(response.header("Content-Length") ?? "0")!)
        }
    }

    @Test func hangAfterHeadersSendsNothingUntilShutdown() async throws {
        let server = FakeAPIServer()
        try await server.start()
        try seed(server)
        server.inject(.hangAfterHeaders, on: .watch)
        let watch = try await WireClient(port: server.port).open("GET", "/api/v1/pods?watch=true&resourceVersion=0")
        #expect(watch.status == 200)
        try server.createPod(name: "d")
        try await server.shutdown()
        #expect(await watch.rest().isEmpty)
        #expect(watch.end == .closed)
    }

    @Test func closedPortRefusesConnections() async throws {
        let server = FakeAPIServer()
        try await server.start()
        let client = WireClient(port: server.port)
        try await server.shutdown()
        await #expect(throws: (any Error).self) {
            _ = try await client.request("GET", "/version")
        }
    }

    @Test(arguments: [401, 410, 500, 503, 504])
    func statusFaults(_ code: Int) async throws {
        try await withFakeServer { server, client in
            server.inject(.status(code: code), on: .list)
            let response = try await client.request("GET", "/api/v1/pods")
            #expect(response.status == code)
            #expect(response.json["kind"] as? String == "Status")
            #expect(response.json["code"] as? Int == code)
            if code == 504 {
                #expect((response.json["message"] as? String)?.contains("Too large resource version") == true)
            }
            #expect(try await client.request("GET", "/api/v1/pods").status == 200, "one-shot")
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await withFakeServer { server, client in
            server.inject(.tooManyRequests(retryAfterSeconds: 7), on: .watch)
            let response = try await client.request("GET", "/api/v1/pods?watch=true")
            #expect(response.status == 429)
            #expect(response.header("Retry-After") == "7")
            #expect(response.json["reason"] as? String == "TooManyRequests")
            #expect((response.json["details"] as? [String: Any])?["retryAfterSeconds"] as? Int == 7)
        }
    }

    @Test(arguments: [410, 500])
    func errorEventAfter200(_ code: Int) async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.errorEvent(code: code), on: .watch)
            let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            #expect(response.status == 200)
            #expect(response.end == .complete)
            #expect(response.lines.map(\.type) == ["ERROR"])
            #expect(response.lines.first?.code == code)
        }
    }

    @Test func garbageAndUnknownLinesInTheStream() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.combined([.garbageLine(afterEvents: 1), .unknownEventType(afterEvents: 2), .closeAfter(events: 3)]), on: .watch)
            let response = try await client.request("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            let lines = response.lines
            #expect(lines.map(\.type) == ["ADDED", nil, "ADDED", "SURPRISE", "ADDED"])
            #expect(lines[1].text == "this is not JSON {{{")
        }
    }

    @Test func onlyBookmarks() async throws {
        try await withFakeServer({ $0.bookmarkInterval = .milliseconds(20) }) { server, client in
            try seed(server)
            server.inject(.onlyBookmarks, on: .watch)
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            let first = try #require(await watch.nextLine())
            #expect(first.type == "BOOKMARK")
            #expect(first.resourceVersion == server.currentResourceVersion)
            try server.createPod(name: "d")
            var line = try #require(await watch.nextLine())
            while line.resourceVersion == first.resourceVersion {
                #expect(line.type == "BOOKMARK")
                line = try #require(await watch.nextLine())
            }
            #expect(line.type == "BOOKMARK")
            #expect(line.resourceVersion == server.currentResourceVersion)
            watch.close()
        }
    }

    @Test func expiredContinueOnPageTwo() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            server.inject(.expiredContinue, on: .continuePage)
            let (_, first) = try await client.getJSON("/api/v1/pods?limit=2")
            let token = try #require(metadata(first)["continue"] as? String)
            let second = try await client.request("GET", "/api/v1/pods?limit=2&continue=\(token.urlQueryEscaped)")
            #expect(second.status == 410)
            #expect(second.json["reason"] as? String == "Expired")
            #expect(server.requests.map(\.page) == [1, 2])
            // A full list without limit is unaffected.
            #expect(itemNames(try await client.getJSON("/api/v1/pods").1) == ["a", "b", "c"])
        }
    }

    @Test func nthTargetsOneRequestOnly() async throws {
        try await withFakeServer { server, client in
            server.inject(.status(code: 500), on: .list, .nth(2))
            server.inject(.status(code: 503), on: .page(1), .times(2))
            let codes = try await (0..<4).asyncMap { _ in try await client.request("GET", "/api/v1/pods").status }
            // Request 1: the .times fault (the .nth one waits for #2); 2: .nth fires first (older); 3: .times again.
            #expect(codes == [503, 500, 503, 200])
        }
    }

    @Test func delayIsServedByTheServer() async throws {
        try await withFakeServer { server, client in
            server.inject(.delay(.milliseconds(300)), on: .kind(.get))
            try server.createPod(name: "p")
            let start = ContinuousClock.now
            let response = try await client.request("GET", "/api/v1/namespaces/default/pods/p")
            #expect(response.status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            server.inject(.delayed(by: .milliseconds(50), then: .status(code: 503)), on: .any)
            #expect(try await client.request("GET", "/version").status == 503)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
