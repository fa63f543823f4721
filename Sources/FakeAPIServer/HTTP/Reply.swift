import NIOCore
import NIOHTTP1

/// A complete (non-streaming) response.
struct Reply {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer

    static func json(_ status: HTTPResponseStatus = .ok, _ body: ByteBuffer) -> Reply {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return Reply(status: status, headers: headers, body: body)
    }

    static func json(_ status: HTTPResponseStatus = .ok, object: Any) -> Reply {
        json(status, ByteBuffer(bytes: JSONCodec.encode(object)))
    }

    /// A Status body with its code. As the real server does, `Retry-After` accompanies
    /// `details.retryAfterSeconds` on 429, 500, 503 and 504.
    static func error(_ status: StatusError) -> Reply {
        var reply = json(HTTPResponseStatus(statusCode: status.code), ByteBuffer(bytes: status.jsonBytes))
        if let seconds = status.details?.retryAfterSeconds, seconds > 0, [429, 500, 503, 504].contains(status.code) {
            reply.headers.add(name: "Retry-After", value: String(seconds))
        }
        return reply
    }

    static func text(_ text: String) -> Reply {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        return Reply(status: .ok, headers: headers, body: ByteBuffer(string: text))
    }
}

/// The head of a streamed (watch) response: no length, so HTTP/1.1 chunked encoding.
func streamingHead(version: HTTPVersion) -> HTTPResponseHead {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "application/json")
    headers.add(name: "Cache-Control", value: "no-cache, private")
    headers.add(name: "Transfer-Encoding", value: "chunked")
    return HTTPResponseHead(version: version, status: .ok, headers: headers)
}
