import NIOHTTP1

/// Where a request goes. Pod paths follow the core API: `/api/v1/pods`,
/// `/api/v1/namespaces/{ns}/pods[/{name}[/status]]` (the status subresource is served as the
/// pod itself).
enum Route: Equatable {
    case version, apiVersions, apiV1Resources, apiGroups
    case health
    case collection(namespace: String?)
    case pod(namespace: String, name: String)
    case notFound

    init(path: String) {
        let parts = path.split(separator: "/").map(String.init)
        switch parts {
        case ["version"]: self = .version
        case ["api"]: self = .apiVersions
        case ["api", "v1"]: self = .apiV1Resources
        case ["apis"]: self = .apiGroups
        case ["healthz"], ["livez"], ["readyz"]: self = .health
        case ["api", "v1", "pods"]: self = .collection(namespace: nil)
        default:
            guard parts.count >= 5, parts[0...2] == ["api", "v1", "namespaces"], parts[4] == "pods" else {
                self = .notFound
                return
            }
            switch parts.count {
            case 5: self = .collection(namespace: parts[3])
            case 6: self = .pod(namespace: parts[3], name: parts[5])
            case 7 where parts[6] == "status": self = .pod(namespace: parts[3], name: parts[5])
            default: self = .notFound
            }
        }
    }

    /// The request kind for logs and faults; nil when the method does not apply (405).
    func kind(method: HTTPMethod, isWatch: Bool) -> RequestKind? {
        switch (self, method) {
        case (.version, .GET), (.apiVersions, .GET), (.apiV1Resources, .GET), (.apiGroups, .GET): .discovery
        case (.health, .GET): .other
        case (.collection, .GET): isWatch ? .watch : .list
        case (.collection(let namespace?), .POST) where !namespace.isEmpty: .create
        case (.pod, .GET): .get
        case (.pod, .PUT): .update
        case (.pod, .PATCH): .patch
        case (.pod, .DELETE): .delete
        case (.notFound, _): .other
        default: nil
        }
    }
}
