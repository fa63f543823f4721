import Foundation

/// A `coordination.k8s.io/v1` Lease as the elector reads and writes it: its name, the version
/// to write over, its record, and the labels and annotations others put on it (a write keeps
/// them: it replaces the whole object).
public struct Lease: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var resourceVersion: String?
    public var record: LeaseRecord
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]

    public init(namespace: String, name: String, resourceVersion: String? = nil, record: LeaseRecord) {
        self.namespace = namespace
        self.name = name
        self.resourceVersion = resourceVersion
        self.record = record
    }

    /// What the election machine needs of it.
    public var observed: ObservedLease { ObservedLease(record: record, resourceVersion: resourceVersion ?? "") }

    /// Reads a Lease object; nil when the JSON is not one.
    public init?(json: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else { return nil }
        self.init(object: object)
    }

    /// Reads a Lease object decoded by `JSONSerialization` (an item of a list).
    init?(object: [String: Any]) {
        guard let metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String else { return nil }
        let spec = object["spec"] as? [String: Any] ?? [:]
        self.init(
            namespace: metadata["namespace"] as? String ?? "", name: name, resourceVersion: metadata["resourceVersion"] as? String,
            record: LeaseRecord(
                holderIdentity: spec["holderIdentity"] as? String, leaseDurationSeconds: (spec["leaseDurationSeconds"] as? NSNumber)?.intValue,
                acquireTime: (spec["acquireTime"] as? String).flatMap(MicroTime.parse), renewTime: (spec["renewTime"] as? String).flatMap(MicroTime.parse),
                leaseTransitions: (spec["leaseTransitions"] as? NSNumber)?.intValue))
        labels = metadata["labels"] as? [String: String] ?? [:]
        annotations = metadata["annotations"] as? [String: String] ?? [:]
    }

    /// The whole object, for a create or an update (with `resourceVersion` as its precondition).
    public var json: [UInt8] {
        var metadata: [String: Any] = ["name": name, "namespace": namespace]
        if let resourceVersion { metadata["resourceVersion"] = resourceVersion }
        if !labels.isEmpty { metadata["labels"] = labels }
        if !annotations.isEmpty { metadata["annotations"] = annotations }
        var spec: [String: Any] = [:]
        if let holder = record.holderIdentity { spec["holderIdentity"] = holder }
        if let duration = record.leaseDurationSeconds { spec["leaseDurationSeconds"] = duration }
        if let acquired = record.acquireTime { spec["acquireTime"] = MicroTime.format(acquired) }
        if let renewed = record.renewTime { spec["renewTime"] = MicroTime.format(renewed) }
        if let transitions = record.leaseTransitions { spec["leaseTransitions"] = transitions }
        let object: [String: Any] = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": metadata, "spec": spec]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
