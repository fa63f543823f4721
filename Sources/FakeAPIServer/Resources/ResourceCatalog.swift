/// The resource types currently served, in discovery order. Tests add and remove types at
/// run time to show a client refreshing its discovery cache on a miss.
final class ResourceCatalog: Sendable {
    private let types = Locked(ResourceType.builtIn)

    var all: [ResourceType] { types.withLock { $0 } }

    func add(_ type: ResourceType) {
        types.withLock { types in
            types.removeAll { $0.group == type.group && $0.version == type.version && $0.name == type.name }
            types.append(type)
        }
    }

    func remove(group: String, version: String, name: String) {
        types.withLock { $0.removeAll { $0.group == group && $0.version == version && $0.name == name } }
    }

    /// The type serving `group/version` and `name` ("jobs" or "pods/eviction"), if any.
    func find(group: String, version: String, name: String) -> ResourceType? {
        types.withLock { $0.first { $0.group == group && $0.version == version && $0.name == name } }
    }

    /// Non-core group names with their versions, in first-seen order.
    var groups: [(name: String, versions: [String])] {
        var result: [(name: String, versions: [String])] = []
        for type in all where !type.group.isEmpty {
            if let index = result.firstIndex(where: { $0.name == type.group }) {
                if !result[index].versions.contains(type.version) { result[index].versions.append(type.version) }
            } else {
                result.append((type.group, [type.version]))
            }
        }
        return result
    }
}
