import Foundation
import NIOCore
import NIOHTTP1

/// A complete request: head, decoded path and query, body.
struct APIRequest {
    var method: HTTPMethod
    var path: String
    var query: [RecordedRequest.QueryItem]
    var headers: HTTPHeaders
    var body: ByteBuffer
    var keepAlive: Bool
    var version: HTTPVersion

    init(head: HTTPRequestHead, body: ByteBuffer) {
        method = head.method
        headers = head.headers
        keepAlive = head.isKeepAlive
        version = head.version
        self.body = body
        let uri = head.uri
        if let mark = uri.firstIndex(of: "?") {
            path = String(uri[..<mark])
            query = Self.parseQuery(uri[uri.index(after: mark)...])
        } else {
            path = uri
            query = []
        }
        path = path.removingPercentEncoding ?? path
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    }

    /// The token of `Authorization: Bearer <token>`, if the request carries one.
    var bearerToken: String? {
        guard let value = headers.first(name: "authorization"), value.hasPrefix("Bearer ") else { return nil }
        return String(value.dropFirst("Bearer ".count))
    }

    func query(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Go's `strconv.ParseBool`, which the API server uses for `watch` and friends.
    func flag(_ name: String) -> Bool {
        ["1", "t", "T", "true", "TRUE", "True"].contains(query(name) ?? "")
    }

    var contentType: String {
        (headers.first(name: "content-type") ?? "application/json").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
    }

    /// Form decoding as Go's `url.ParseQuery` does it: `+` is a space.
    static func parseQuery(_ text: Substring) -> [RecordedRequest.QueryItem] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return RecordedRequest.QueryItem(name: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
