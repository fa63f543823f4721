import Foundation

/// Every object that is not a pod (Jobs, Events, ConfigMaps, Nodes, ...), in memory, in one
/// store for all resource types: keyed by the type's storage, namespace and name, in the
/// shape of the type that owns the storage. Resource versions come from the pod store's
/// counter, so one version orders every change. No watches and no history: lists read the
/// current state.
final class ObjectStore: Sendable {
    struct Key: Hashable, Comparable {
        var storage: String
        var namespace: String
        var name: String

        static func < (a: Key, b: Key) -> Bool {
            (a.storage, a.namespace, a.name) < (b.storage, b.namespace, b.name)
        }
    }

    let objects = Locked<[Key: [String: Any]]>([:])
    let versions: PodRegistry
    /// Written while `objects` is locked, so in the order of the writes.
    let leaseHolders = LeaseHolderLog()

    init(versions: PodRegistry) {
        self.versions = versions
    }

    func get(_ type: ResourceType, namespace: String, name: String) throws(StatusError) -> [String: Any] {
        guard let stored = objects.withLock({ $0[key(type, namespace, name)] }) else { throw .notFound(name, type) }
        return served(stored, as: type)
    }

    /// The objects of `type` in `namespace` (nil: all), in namespace/name order, filtered.
    func list(_ type: ResourceType, namespace: String?, labels: LabelFilter, fields: FieldFilter) -> (items: [[String: Any]], resourceVersion: UInt64) {
        let (stored, version) = objects.withLock { objects in
            let keys = objects.keys.filter { $0.storage == type.storage && (namespace == nil || $0.namespace == namespace) }.sorted()
            return (keys.map { objects[$0]! }, versions.currentResourceVersion)
        }
        let items = stored.map { served($0, as: type) }.filter { object in
            let metadata = object["metadata"] as? [String: Any] ?? [:]
            let objectLabels = (metadata["labels"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
            return labels.matches(objectLabels) && fields.matches(Self.fieldValues(of: object, for: fields))
        }
        return (items, version)
    }

    func key(_ type: ResourceType, _ namespace: String, _ name: String) -> Key {
        Key(storage: type.storage, namespace: type.namespaced ? namespace : "", name: name)
    }

    /// A stored object as clients of `type` read it.
    func served(_ stored: [String: Any], as type: ResourceType) -> [String: Any] {
        var object = EventShape.fromStored(stored, as: type)
        object["apiVersion"] = type.groupVersion
        object["kind"] = type.kind
        return object
    }

    /// The values a field selector compares: any dotted path into the object, numbers and
    /// booleans as their JSON text, missing fields as "".
    static func fieldValues(of object: [String: Any], for selector: FieldFilter) -> [String: String] {
        var values: [String: String] = [:]
        for requirement in selector.requirements {
            var current: Any? = object
            for part in requirement.field.split(separator: ".") {
                current = (current as? [String: Any])?[String(part)]
            }
            switch current {
            case let text as String: values[requirement.field] = text
            case nil: values[requirement.field] = ""
            case let value?: values[requirement.field] = String(decoding: JSONCodec.encode(value), as: UTF8.self)
            }
        }
        return values
    }
}
