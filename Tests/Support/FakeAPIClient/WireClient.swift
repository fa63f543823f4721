import NIOCore
import NIOPosix
import NIOSSL

/// A minimal HTTP/1.1 client for testing the fake server on the wire: one connection per
/// request, raw bytes out, and responses read with their chunk boundaries and their ending
/// (complete, closed early, or reset) intact, which ordinary clients do not show.
public struct WireClient: Sendable {
    public struct TLS: Sendable {
        /// The CA that signed the server's certificate.
        public var caPEM: [UInt8]
        public var certificatePEM: [UInt8]?
        public var privateKeyPEM: [UInt8]?
        /// Checked against the server certificate's names.
        public var serverHostname: String

        public init(caPEM: [UInt8], certificatePEM: [UInt8]? = nil, privateKeyPEM: [UInt8]? = nil, serverHostname: String = "localhost") {
            self.caPEM = caPEM
            self.certificatePEM = certificatePEM
            self.privateKeyPEM = privateKeyPEM
            self.serverHostname = serverHostname
        }
    }

    public var host: String
    public var port: Int
    public var tls: TLS?
    /// Sent as `Authorization: Bearer <token>` when set.
    public var bearerToken: String?

    public init(host: String = "127.0.0.1", port: Int, tls: TLS? = nil, bearerToken: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.bearerToken = bearerToken
    }

    /// Sends one request and reads the whole response, however it ends.
    public func request(_ method: String = "GET", _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> WireResponse {
        let stream = try await open(method, target, headers: headers, body: body)
        defer { stream.close() }
        var response = WireResponse(status: stream.status, headers: stream.headers)
        while let piece = await stream.nextPiece() {
            response.body += piece.bytes
            if piece.isChunk { response.chunks.append(piece.bytes) }
        }
        response.end = stream.end ?? .closed
        return response
    }

    /// Sends one request and returns once the response head has arrived; read the body from
    /// the stream as it comes.
    public func open(_ method: String = "GET", _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> WireStream {
        let (parts, continuation) = AsyncStream.makeStream(of: WireReader.Event.self)
        let sslContext = try tls.map(Self.makeContext)
        let serverHostname = tls?.serverHostname
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(WireReader(continuation))
                }
            }
            .connect(host: host, port: port).get()
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: kubelua-wire-client\r\n"
        if let bearerToken { text += "Authorization: Bearer \(bearerToken)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        var buffer = channel.allocator.buffer(capacity: text.utf8.count + (body?.count ?? 0))
        buffer.writeString(text)
        if let body { buffer.writeBytes(body) }
        do {
            try await channel.writeAndFlush(buffer)
        } catch {
            // The connection was gone before the request was out (a refused TLS handshake, say):
            // the stream reports that as no response, like any other early end.
        }
        return try await WireStream(channel: channel, events: parts)
    }

    private static func makeContext(_ tls: TLS) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(tls.caPEM))
        if let certificate = tls.certificatePEM, let key = tls.privateKeyPEM {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }
}

/// How a response ended.
public enum WireEnd: Sendable, Equatable {
    /// Terminal chunk received, or the full Content-Length.
    case complete
    /// The connection closed before the response was complete.
    case closed
    /// The connection was reset (ECONNRESET).
    case reset
    case error(String)
}

public enum WireError: Error, Equatable {
    /// The connection ended before a response head arrived.
    case noResponse(WireEnd)
}
