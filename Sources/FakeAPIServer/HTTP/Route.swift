import NIOHTTP1

/// Where a request goes. Pod paths follow the core API: `/api/v1/pods`,
/// `/api/v1/namespaces/{ns}/pods[/{name}[/status|/eviction]]` (the status subresource is
/// served as the pod itself); other resources (`.objects`) are served by the generic store.
enum Route: Equatable {
    case version, apiVersions, apiGroups
    case apiGroup(String)
    /// The `APIResourceList` of a group version (`/api/v1`, `/apis/batch/v1`).
    case groupResources(group: String, version: String)
    case health
    case collection(namespace: String?)
    case pod(namespace: String, name: String)
    case eviction(namespace: String, name: String)
    case objects(ResourcePath)
    case notFound

    init(path: String) {
        let parts = path.split(separator: "/").map(String.init)
        switch (parts.first, parts.count) {
        case ("version", 1): self = .version
        case ("api", 1): self = .apiVersions
        case ("api", 2): self = .groupResources(group: "", version: parts[1])
        case ("apis", 1): self = .apiGroups
        case ("apis", 2): self = .apiGroup(parts[1])
        case ("apis", 3): self = .groupResources(group: parts[1], version: parts[2])
        case ("healthz", 1), ("livez", 1), ("readyz", 1): self = .health
        default:
            guard let resource = ResourcePath(path: path) else {
                self = .notFound
                return
            }
            guard resource.group.isEmpty, resource.resource == "pods" else {
                self = .objects(resource)
                return
            }
            switch (resource.name, resource.subresource) {
            case _ where resource.version != "v1": self = .notFound
            case ("", ""): self = .collection(namespace: resource.namespace.isEmpty ? nil : resource.namespace)
            case (_, ""), (_, "status"): self = .pod(namespace: resource.namespace, name: resource.name)
            case (_, "eviction"): self = .eviction(namespace: resource.namespace, name: resource.name)
            default: self = .notFound
            }
        }
    }

    /// The request kind for logs and faults; nil when the method does not apply (405).
    func kind(method: HTTPMethod, isWatch: Bool) -> RequestKind? {
        switch (self, method) {
        case (.version, .GET), (.apiVersions, .GET), (.groupResources, .GET), (.apiGroups, .GET), (.apiGroup, .GET): .discovery
        case (.health, .GET): .other
        case (.collection, .GET): isWatch ? .watch : .list
        case (.collection(let namespace?), .POST) where !namespace.isEmpty: .create
        case (.pod, .GET): .get
        case (.pod, .PUT): .update
        case (.pod, .PATCH): .patch
        case (.pod, .DELETE): .delete
        case (.eviction, .POST): .create
        case (.objects(let path), _): Self.objectKind(path, method: method, isWatch: isWatch)
        case (.notFound, _): .other
        default: nil
        }
    }

    private static func objectKind(_ path: ResourcePath, method: HTTPMethod, isWatch: Bool) -> RequestKind? {
        switch (path.name.isEmpty, method) {
        case (true, .GET): isWatch ? .watch : .list
        case (true, .POST): .create
        case (false, .GET): .get
        case (false, .PUT): .update
        case (false, .PATCH): .patch
        case (false, .DELETE): .delete
        default: nil
        }
    }
}
