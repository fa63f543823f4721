import Foundation

/// JSON objects the `kube` helper builds or inspects itself (request bodies, replay's answers):
/// small, so Foundation's serializer is enough. Keys are sorted, so the same object always gives
/// the same text (replay's ACTION lines rely on it).
enum JSONObjects {
    static func bytes(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }

    /// The object `json` holds, or nil when it is not a JSON object.
    static func object(_ json: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
    }

    /// `json` with its keys sorted, as text (itself when it is not JSON).
    static func canonical(_ json: [UInt8]) -> String {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) else {
            return String(decoding: json, as: UTF8.self)
        }
        return String(decoding: bytes(value), as: UTF8.self)
    }
}
