/// One allowed (verbs × API groups × resources) rule, as in an RBAC Role or ClusterRole, and
/// where it applies. Resources name subresources as RBAC does: "pods/eviction", "pods/status".
/// "*" matches any verb, group or resource; "*/status" any resource's status subresource.
public struct AccessRule: Sendable, Equatable {
    public var verbs: [String]
    /// "" is the core group.
    public var apiGroups: [String]
    public var resources: [String]
    /// nil: every namespace and cluster-scoped resources (a ClusterRole bound with a
    /// ClusterRoleBinding); otherwise only requests in this namespace (a RoleBinding).
    public var namespace: String?
    /// When not empty, only requests naming one of these objects (so never list or create).
    public var resourceNames: [String]

    public init(verbs: [String], apiGroups: [String] = [""], resources: [String], namespace: String? = nil,
                resourceNames: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.namespace = namespace
        self.resourceNames = resourceNames
    }

    func allows(verb: String, _ path: ResourcePath) -> Bool {
        (verbs.contains("*") || verbs.contains(verb))
            && (apiGroups.contains("*") || apiGroups.contains(path.group))
            && resources.contains { $0 == "*" || $0 == path.resourceName || (!path.subresource.isEmpty && $0 == "*/\(path.subresource)") }
            && (namespace == nil || namespace == path.namespace)
            && (resourceNames.isEmpty || resourceNames.contains(path.name))
    }
}

/// An allow-list for one user: a resource request no rule allows is answered 403 Forbidden,
/// with the message RBAC gives. Non-resource requests (discovery, `/version`, health) are
/// always allowed, as `system:discovery` allows them in a real cluster.
public struct AccessPolicy: Sendable, Equatable {
    /// Who the requests come from, as Forbidden messages name them.
    public var user: String
    public var rules: [AccessRule]

    /// The service account kubelua runs as in its example manifests.
    public static let defaultUser = "system:serviceaccount:kubelua:kubelua"

    public init(user: String = AccessPolicy.defaultUser, rules: [AccessRule]) {
        self.user = user
        self.rules = rules
    }

    /// nil when allowed; else the Forbidden Status to answer with.
    func refusal(_ request: RequestInfo) -> StatusError? {
        guard let path = request.resource, !rules.contains(where: { $0.allows(verb: request.verb, path) }) else { return nil }
        return .forbidden(user: user, verb: request.verb, group: path.group, resource: path.resource,
                          subresource: path.subresource, namespace: path.namespace, name: path.name)
    }
}
