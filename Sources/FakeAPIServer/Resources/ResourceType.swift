/// A kind of object the server serves, as discovery describes it (an `APIResource`): where it
/// lives (group, version, plural name), whether it is namespaced, its kind and verbs. Pods are
/// served by the pod store; every other resource type by the one generic object store.
public struct ResourceType: Sendable, Hashable {
    /// "" for the core group (`/api/v1`).
    public var group: String
    public var version: String
    /// The plural name in paths, e.g. "jobs"; a subresource is "pods/eviction".
    public var name: String
    public var singularName: String
    public var kind: String
    public var namespaced: Bool
    public var verbs: [String]
    public var shortNames: [String]
    public var categories: [String]
    /// For a subresource whose body is of another group (pods/eviction: policy/v1 Eviction).
    public var kindGroup: String?
    public var kindVersion: String?
    /// Where objects are kept: resource types with the same storage share objects, as core and
    /// events.k8s.io Events do in a real cluster (each read converted to its own shape).
    public var storage: String

    /// What the fake serves for a resource (no deletecollection). Watch is offered as the real
    /// server does, though only pods can be watched here.
    public static let standardVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"]

    public init(group: String, version: String, name: String, singularName: String? = nil, kind: String,
                namespaced: Bool = true, verbs: [String] = ResourceType.standardVerbs, shortNames: [String] = [],
                categories: [String] = [], kindGroup: String? = nil, kindVersion: String? = nil, storage: String? = nil) {
        self.group = group
        self.version = version
        self.name = name
        self.singularName = singularName ?? kind.lowercased()
        self.kind = kind
        self.namespaced = namespaced
        self.verbs = verbs
        self.shortNames = shortNames
        self.categories = categories
        self.kindGroup = kindGroup
        self.kindVersion = kindVersion
        self.storage = storage ?? (group.isEmpty ? name : "\(name).\(group)")
    }

    /// `v1` or `batch/v1`: the objects' `apiVersion`.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `jobs.batch`, or `pods` in the core group: how Status messages name the resource.
    public var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }

    var isSubresource: Bool { name.contains("/") }

    /// The `APIResource` entry of a resource list.
    var discoveryEntry: [String: Any] {
        var entry: [String: Any] = [
            "name": name, "singularName": isSubresource ? "" : singularName, "namespaced": namespaced,
            "kind": kind, "verbs": verbs,
        ]
        if !shortNames.isEmpty { entry["shortNames"] = shortNames }
        if !categories.isEmpty { entry["categories"] = categories }
        if let kindGroup { entry["group"] = kindGroup }
        if let kindVersion { entry["version"] = kindVersion }
        return entry
    }
}
