import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Talks to one API server as one identity: authenticated requests over async-http-client, with
/// watch bodies streamed and a read-idle timeout that exposes dead connections.
public final class KubeClient: Sendable {
    public let connection: KubeConnection
    let http: HTTPClient
    let logger: Logger
    /// The name requests are addressed to (the `tls-server-name`, when set, so TLS verifies it).
    private let requestHost: String?
    /// The largest list page or error body read into memory.
    let maximumBodySize: Int

    /// - Parameter idleTimeout: how long a response may stay silent before it counts as dead;
    ///   a watch that hits it ends like one the server closed (it is re-watched at once).
    public init(connection: KubeConnection, idleTimeout: Duration = .seconds(120), maximumBodySize: Int = 512 << 20, logger: Logger) throws {
        self.connection = connection
        self.logger = logger
        self.maximumBodySize = maximumBodySize
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try connection.tls.nioConfiguration()
        configuration.timeout = .init(connect: .seconds(10), read: .nanoseconds(idleTimeout.nanoseconds))
        configuration.decompression = .enabled(limit: .none)
        // The reflector owns retries (informer.md 10: its backoff, its injectable clock). Left
        // on, async-http-client would silently retry a refused connection until the connect
        // timeout, so every refused round would take 10 s whatever the backoff says.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Over HTTP/1.1 every open watch holds a connection for minutes. With the default of 8
        // per host, the reflectors of a ninth namespace would wait for a connection forever.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1024
        if let serverName = connection.tls.serverName, let host = connection.server.host {
            // Address the server by the name its certificate must carry, connect to the real host.
            configuration.dnsOverride = [serverName: host]
            requestHost = serverName
        } else {
            requestHost = nil
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes connections; in-flight requests fail.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Builds a GET for `path` under the server URL.
    func request(path: String, query: [(String, String)]) -> HTTPClientRequest {
        var components = URLComponents(url: connection.server, resolvingAgainstBaseURL: false)!
        if let requestHost { components.host = requestHost }
        components.percentEncodedPath = components.percentEncodedPath.trimmingTrailingSlashes + path
        components.queryItems = query.isEmpty ? nil : query.map { URLQueryItem(name: $0.0, value: $0.1) }
        var request = HTTPClientRequest(url: components.string!)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "kubelua")
        return request
    }
}

extension String {
    var trimmingTrailingSlashes: String {
        var text = self
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
