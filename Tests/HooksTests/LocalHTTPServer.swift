import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 for the http helper's tests. Routes:
/// - `/echo`: 200, `text/plain`, two `X-Reply` headers; the body names the method, path,
///   `Host`, `Content-Type` and `X-Test` headers and repeats the request body;
/// - `/bytes/N`: N bytes of "x", chunked (no Content-Length);
/// - `/hold/LABEL`: no answer until the test calls `release(LABEL)`; reports `.held(LABEL)` on
///   arrival and `.closed(LABEL)` if the client drops the connection first;
/// - `/redirect`: 302 to `/echo`.
final class LocalHTTPServer: Sendable {
    enum Event: Sendable, Equatable {
        case held(String)
        case closed(String)
    }

    struct Request: Sendable {
        let method: String
        let uri: String
        let headers: [(String, String)]
        let body: String
    }

    let port: Int
    let scheme: String
    let events: AsyncStream<Event>
    private let eventSink: AsyncStream<Event>.Continuation
    private let channel: any Channel
    private let state = Mutex<(requests: [Request], held: [String: any Channel], connections: [any Channel])>(([], [:], []))

    /// With `tls`, the server speaks HTTPS only.
    init(tls: NIOSSLContext? = nil) async throws {
        (events, eventSink) = AsyncStream.makeStream()
        let box = Box()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                }
                .flatMap { channel.pipeline.configureHTTPServerPipeline() }
                .flatMap { channel.pipeline.addHandler(Handler(server: box.server!)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
        scheme = tls == nil ? "http" : "https"
        box.server = self
    }

    /// Lets the child initializer reach the server once it exists.
    private final class Box: @unchecked Sendable {
        weak var server: LocalHTTPServer?
    }

    var url: String { "\(scheme)://127.0.0.1:\(port)" }
    var requests: [Request] { state.withLock { $0.requests } }

    /// Answers the held request `label` with 200 and `released LABEL`.
    func release(_ label: String) {
        guard let channel = state.withLock({ $0.held.removeValue(forKey: label) }) else { return }
        Self.respond(on: channel, status: .ok, body: "released \(label)")
    }

    func shutdown() async throws {
        let connections = state.withLock { $0.connections }
        for connection in connections { try? await connection.close() }
        try await channel.close()
        eventSink.finish()
    }

    /// Waits for `event`, skipping others; false when the server shut down (or the waiting
    /// task was cancelled, by a test's time limit) before it came.
    @discardableResult
    func wait(for event: Event) async -> Bool {
        for await seen in events where seen == event { return true }
        return false
    }

    fileprivate func accepted(_ channel: any Channel) {
        state.withLock { $0.connections.append(channel) }
    }

    fileprivate func received(_ request: Request, on channel: any Channel) {
        state.withLock { $0.requests.append(request) }
        let path = request.uri
        if path == "/echo" {
            let header = { (name: String) in request.headers.first { $0.0.lowercased() == name }?.1 ?? "-" }
            let text = "\(request.method) \(path) host=\(header("host")) type=\(header("content-type")) x-test=\(header("x-test")) body=\(request.body)"
            Self.respond(on: channel, status: .ok, headers: [("Content-Type", "text/plain"), ("X-Reply", "one"), ("X-Reply", "two")], body: text)
        } else if path.hasPrefix("/bytes/"), let count = Int(path.dropFirst("/bytes/".count)) {
            Self.respond(on: channel, status: .ok, headers: [("Transfer-Encoding", "chunked")], body: String(repeating: "x", count: count))
        } else if path.hasPrefix("/hold/") {
            let label = String(path.dropFirst("/hold/".count))
            state.withLock { $0.held[label] = channel }
            eventSink.yield(.held(label))
        } else if path == "/redirect" {
            Self.respond(on: channel, status: .found, headers: [("Location", "\(url)/echo")], body: "")
        } else {
            Self.respond(on: channel, status: .notFound, body: "no route")
        }
    }

    fileprivate func closed(_ channel: any Channel) {
        let labels = state.withLock { state in
            let labels = state.held.filter { $0.value === channel }.map(\.key)
            for label in labels { state.held[label] = nil }
            return labels
        }
        for label in labels { eventSink.yield(.closed(label)) }
    }

    private static func respond(on channel: any Channel, status: HTTPResponseStatus, headers: [(String, String)] = [], body: String) {
        var head = HTTPResponseHead(version: .http1_1, status: status, headers: HTTPHeaders(headers))
        if !head.headers.contains(name: "Transfer-Encoding") { head.headers.add(name: "Content-Length", value: String(body.utf8.count)) }
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        if !body.isEmpty { channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
    }

    /// Collects one request at a time and hands it to the server.
    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart

        let server: LocalHTTPServer
        var head: HTTPRequestHead?
        var body = ""

        init(server: LocalHTTPServer) { self.server = server }

        func channelActive(context: ChannelHandlerContext) {
            server.accepted(context.channel)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = ""
            case .body(let buffer):
                body += String(buffer: buffer)
            case .end:
                guard let head else { return }
                server.received(
                    Request(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body),
                    on: context.channel)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            server.closed(context.channel)
            context.fireChannelInactive()
        }
    }
}
