import NIOCore

/// One stored version of a pod: its encoded JSON plus the few fields selectors and keys need,
/// pulled out once so that filtering never re-parses the object.
struct StoredPod: Sendable {
    var namespace: String
    var name: String
    var uid: String
    var resourceVersion: UInt64
    var labels: [String: String]
    /// Values of the field-selector fields this pod supports (missing fields are "").
    var fields: [String: String]
    /// Compact JSON of the whole pod; usually a slice of the event line that produced it, so
    /// the bytes exist once.
    var json: ByteBuffer

    var key: NamespacedName { NamespacedName(namespace: namespace, name: name) }

    /// The fields `fieldSelector` may name for pods, as the real server supports them.
    static let selectableFields: [(String, [String])] = [
        ("metadata.name", ["metadata", "name"]),
        ("metadata.namespace", ["metadata", "namespace"]),
        ("spec.nodeName", ["spec", "nodeName"]),
        ("spec.restartPolicy", ["spec", "restartPolicy"]),
        ("spec.schedulerName", ["spec", "schedulerName"]),
        ("spec.serviceAccountName", ["spec", "serviceAccountName"]),
        ("status.phase", ["status", "phase"]),
        ("status.podIP", ["status", "podIP"]),
        ("status.nominatedNodeName", ["status", "nominatedNodeName"]),
    ]

    init(object: [String: Any], json: ByteBuffer) {
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        namespace = metadata["namespace"] as? String ?? ""
        name = metadata["name"] as? String ?? ""
        uid = metadata["uid"] as? String ?? ""
        resourceVersion = (metadata["resourceVersion"] as? String).flatMap { UInt64($0) } ?? 0
        labels = (metadata["labels"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
        var fields: [String: String] = [:]
        for (field, path) in Self.selectableFields {
            let section = object[path[0]] as? [String: Any]
            fields[field] = section?[path[1]] as? String ?? ""
        }
        self.fields = fields
        self.json = json
    }

    /// A record encoded from its object, never stored (what a dry run answers with).
    init(object: [String: Any]) {
        self.init(object: object, json: ByteBuffer(bytes: JSONCodec.encode(object)))
    }

    func object() -> [String: Any] {
        // The bytes were produced by JSONSerialization from an object, so they decode.
        (try? JSONCodec.decodeObject(json)) ?? [:]
    }
}
