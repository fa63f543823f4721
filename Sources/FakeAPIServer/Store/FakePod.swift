/// A pod as the fake server stores it, returned by the scenario API. `json` is exactly what
/// clients receive; `object` decodes it for inspection.
public struct FakePod: Sendable {
    public var namespace: String
    public var name: String
    public var uid: String
    public var resourceVersion: String
    public var labels: [String: String]
    /// `status.phase`, or "" when unset.
    public var phase: String
    public var json: [UInt8]

    init(_ record: StoredPod) {
        namespace = record.namespace
        name = record.name
        uid = record.uid
        resourceVersion = String(record.resourceVersion)
        labels = record.labels
        phase = record.fields["status.phase"] ?? ""
        json = Array(record.json.readableBytesView)
    }

    /// The pod decoded with `JSONSerialization`.
    public var object: [String: Any] {
        (try? JSONCodec.decodeObject(json)) ?? [:]
    }
}
