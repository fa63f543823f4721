/// A resource request's path taken apart as the real server's request-info parser does:
/// `/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]`, and the same under
/// `/apis/{group}/{version}`. `/api/v1/namespaces/{name}[/status|/finalize]` is the namespace
/// object itself (with its name as the namespace, as RBAC sees it).
struct ResourcePath: Equatable, Sendable {
    var group = ""
    var version = ""
    /// "" for a cluster-scoped request or a list across namespaces.
    var namespace = ""
    var resource = ""
    var name = ""
    var subresource = ""

    init(group: String = "", version: String = "v1", namespace: String, resource: String, name: String, subresource: String = "") {
        self.group = group
        self.version = version
        self.namespace = namespace
        self.resource = resource
        self.name = name
        self.subresource = subresource
    }

    /// nil for non-resource paths (discovery, health, anything else).
    init?(path: String) {
        let parts = path.split(separator: "/").map(String.init)
        var rest: ArraySlice<String>
        switch parts.first {
        case "api" where parts.count >= 3:
            version = parts[1]
            rest = parts[2...]
        case "apis" where parts.count >= 4:
            group = parts[1]
            version = parts[2]
            rest = parts[3...]
        default:
            return nil
        }
        if rest.first == "namespaces", rest.count > 1 {
            namespace = rest[rest.startIndex + 1]
            if rest.count > 2, !["status", "finalize"].contains(rest[rest.startIndex + 2]) {
                rest = rest.dropFirst(2)
            }
        }
        let items = Array(rest)
        resource = items[0]
        if items.count >= 2 { name = items[1] }
        if items.count >= 3 { subresource = items[2] }
        if items.count > 3 { return nil }
    }

    /// "pods" or "pods/eviction", as RBAC rules and discovery name it.
    var resourceName: String { subresource.isEmpty ? resource : "\(resource)/\(subresource)" }
}

/// What a request does in RBAC's terms: verb, group, resource (with subresource), namespace,
/// name. Non-resource requests (discovery, health) have no `resource`.
struct RequestInfo: Equatable, Sendable {
    var verb: String
    var path: String
    var resource: ResourcePath?

    /// GET is get or list (watch with `watch=true`), DELETE on a collection deletecollection;
    /// for a non-resource path the verb is the method (`get`, `post`).
    /// A list or watch whose field selector is exactly `metadata.name=x` names object x, as
    /// RBAC's `resourceNames` sees it.
    init(method: String, path: String, isWatch: Bool, fieldSelector: String? = nil) {
        self.path = path
        guard var parsed = ResourcePath(path: path) else {
            verb = method.lowercased()
            return
        }
        let named = !parsed.name.isEmpty
        switch method {
        case "GET", "HEAD":
            verb = named ? "get" : (isWatch ? "watch" : "list")
            if !named, let name = Self.exactName(fieldSelector) { parsed.name = name }
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = named ? "delete" : "deletecollection"
        default: verb = method.lowercased()
        }
        resource = parsed
    }
}

private extension RequestInfo {
    static func exactName(_ fieldSelector: String?) -> String? {
        guard let selector = try? FieldFilter(parsing: fieldSelector ?? "", supported: nil),
              selector.requirements.count == 1, let only = selector.requirements.first,
              only.field == "metadata.name", !only.negated, !only.value.isEmpty else { return nil }
        return only.value
    }
}
