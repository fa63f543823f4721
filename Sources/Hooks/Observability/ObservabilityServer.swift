import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The small HTTP/1.1 listener of `run --metrics-address`: answers each GET with what
/// `respond` returns for its path, one request per connection (probes and scrapers open one
/// each time). Ends on graceful shutdown.
public struct ObservabilityServer: Service {
    public let host: String
    public let port: Int
    let respond: @Sendable (String) async -> ObservabilityResponse
    let logger: Logger
    /// Called with the port once listening (the port given, or the one chosen for port 0).
    let listening: @Sendable (Int) -> Void

    public init(
        host: String, port: Int, logger: Logger, listening: @escaping @Sendable (Int) -> Void = { _ in },
        respond: @escaping @Sendable (String) async -> ObservabilityResponse
    ) {
        self.host = host
        self.port = port
        self.logger = logger
        self.listening = listening
        self.respond = respond
    }

    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let bound = server.channel.localAddress?.port ?? port
        logger.info("serving /metrics, /healthz and /readyz", metadata: ["address": "\(host):\(bound)"])
        listening(bound)
        let channel = server.channel
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }

    /// Reads one request, answers it, closes the connection. A connection that fails is dropped.
    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let request): head = request
                case .body: continue
                case .end:
                    guard let request = head else { return }
                    let response = request.method == .GET || request.method == .HEAD
                        ? await respond(request.uri)
                        : ObservabilityResponse(status: 405, body: "only GET is served\n")
                    try await write(response, to: outbound, version: request.version, includeBody: request.method != .HEAD)
                    return
                }
            }
        }
    }

    private func write(
        _ response: ObservabilityResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, version: HTTPVersion,
        includeBody: Bool
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: "close")
        try await outbound.write(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)))
        if includeBody { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body)))) }
        try await outbound.write(.end(nil))
    }
}
