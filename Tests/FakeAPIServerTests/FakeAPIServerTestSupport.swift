import FakeAPIClient
import FakeAPIServer
import Foundation

/// Runs `body` against a started server and a wire client for it, shutting down after.
func withFakeServer<T>(
    _ configure: (inout FakeAPIServer.Configuration) -> Void = { _ in },
    _ body: (FakeAPIServer, WireClient) async throws -> T
) async throws -> T {
    var configuration = FakeAPIServer.Configuration()
    configure(&configuration)
    let server = FakeAPIServer(configuration: configuration)
    try await server.start()
    do {
        let result = try await body(server, WireClient(port: server.port))
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

extension WireClient {
    /// GET with a JSON body expected.
    func getJSON(_ target: String) async throws -> (Int, [String: Any]) {
        let response = try await request("GET", target)
        return (response.status, response.json)
    }

    func send(_ method: String, _ target: String, json: [String: Any], contentType: String = "application/json") async throws -> WireResponse {
        let body = try JSONSerialization.data(withJSONObject: json)
        return try await request(method, target, headers: [("Content-Type", contentType)], body: Array(body))
    }
}

extension WireStream {
    /// The next `n` lines; fewer if the stream ends.
    func lines(_ n: Int) async -> [WatchLine] {
        var lines: [WatchLine] = []
        while lines.count < n, let line = await nextLine() { lines.append(line) }
        return lines
    }

    /// Reads to the end; returns the remaining lines.
    func rest() async -> [WatchLine] {
        var lines: [WatchLine] = []
        while let line = await nextLine() { lines.append(line) }
        return lines
    }
}

/// `metadata.name` of every item of a list body.
func itemNames(_ list: [String: Any]) -> [String] {
    (list["items"] as? [[String: Any]] ?? []).compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
}

func metadata(_ object: [String: Any]) -> [String: Any] {
    object["metadata"] as? [String: Any] ?? [:]
}

extension WireClient {
    /// A request with any JSON body (an array, for a JSON patch).
    func send(_ method: String, _ target: String, body: Any, contentType: String) async throws -> WireResponse {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await request(method, target, headers: [("Content-Type", contentType)], body: Array(data))
    }
}
