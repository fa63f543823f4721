import Foundation

/// The opaque `continue` value: base64 of a small JSON object holding the list's snapshot
/// version, the last key returned, and the page number (so faults can target "page N").
/// Shaped like the real server's token, which is also base64 JSON with `rv` and `start`.
struct ContinueToken: Equatable, Sendable {
    var resourceVersion: UInt64
    var lastKey: NamespacedName
    /// The page this token fetches (2 for the token returned with the first page).
    var page: Int

    var encoded: String {
        let object: [String: Any] = ["v": "meta.k8s.io/v1", "rv": resourceVersion,
                                     "start": "\(lastKey.namespace)/\(lastKey.name)\u{0}", "page": page]
        return JSONCodec.data(object).base64EncodedString()
    }

    init(resourceVersion: UInt64, lastKey: NamespacedName, page: Int) {
        self.resourceVersion = resourceVersion
        self.lastKey = lastKey
        self.page = page
    }

    init(decoding text: String) throws(StatusError) {
        func invalid() -> StatusError { .badRequest("continue key is not valid: \(text)") }
        guard let data = Data(base64Encoded: text),
              let object = try? JSONCodec.decodeObject(Array(data)),
              let version = (object["rv"] as? Int).flatMap({ UInt64(exactly: $0) }),
              let start = object["start"] as? String,
              let page = object["page"] as? Int
        else { throw invalid() }
        let parts = start.replacingOccurrences(of: "\u{0}", with: "").split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { throw invalid() }
        self.init(resourceVersion: version, lastKey: NamespacedName(namespace: String(parts[0]), name: String(parts[1])), page: page)
    }
}
