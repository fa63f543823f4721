import Foundation

/// One line of a watch body, decoded when it is JSON.
public struct WatchLine: Sendable {
    public var raw: [UInt8]
    /// `type`, or nil when the line is not a JSON object.
    public var type: String?
    /// From `object.metadata` (events) ...
    public var name: String?
    public var namespace: String?
    public var resourceVersion: String?
    public var uid: String?
    /// ... or from a Status object (ERROR events).
    public var code: Int?
    public var reason: String?

    init(_ raw: [UInt8]) {
        self.raw = raw
        guard let event = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any] else { return }
        type = event["type"] as? String
        let object = event["object"] as? [String: Any] ?? [:]
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        name = metadata["name"] as? String
        namespace = metadata["namespace"] as? String
        resourceVersion = metadata["resourceVersion"] as? String
        uid = metadata["uid"] as? String
        code = object["code"] as? Int
        reason = object["reason"] as? String
    }

    public var text: String { String(decoding: raw, as: UTF8.self) }

    /// The event's object, decoded.
    public var object: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any])?["object"] as? [String: Any]
    }
}
