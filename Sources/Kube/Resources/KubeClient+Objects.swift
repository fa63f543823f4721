import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One request for an object or a collection of any kind.
public struct ObjectRequest: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var query: [(String, String)]
    public var body: [UInt8]?
    public var contentType: String?

    public init(method: HTTPMethod, path: String, query: [(String, String)] = [], body: [UInt8]? = nil, contentType: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.contentType = contentType
    }
}

extension KubeClient {
    /// Sends `object` and returns the response body, at most `maximumSize` bytes (a larger one is
    /// `.malformed`); an error status is `.status` with the server's Status.
    public func send(_ object: ObjectRequest, timeout: Duration, maximumSize: Int) async throws(KubeRequestFailure) -> [UInt8] {
        var request = request(path: object.path, query: object.query)
        request.method = object.method
        if let body = object.body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.replaceOrAdd(name: "Content-Type", value: object.contentType ?? "application/json")
        }
        let response = try await send(request, timeout: .nanoseconds(max(1, timeout.nanoseconds)))
        do {
            let buffer = try await response.body.collect(upTo: maximumSize)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .malformed("the response is larger than \(maximumSize) bytes")
        } catch {
            throw .transport("reading the response: \(error)")
        }
    }
}
