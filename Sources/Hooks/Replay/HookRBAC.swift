import Kube

/// The least-privilege RBAC for a hooks folder: list and watch on pods where its watches look
/// (a Role per namespace folder, a ClusterRole for `_all`; the informer needs no `get`), plus a
/// rule for each kind of call its hooks made while replaying recordings (`kubelua rbac`).
///
/// A hook of a namespace folder only ever makes calls inside that namespace (`KubeReach` refuses
/// the others before they are recorded), so its rules go in that namespace's Role; only the
/// cluster-scoped reads the operator opened (`--allow-cluster-read`) and the calls of `_all`
/// hooks, which act wherever their pods are, go in the ClusterRole. Evictions are `create` on `pods/eviction`. Events get
/// `create` only: updating the count of a repeated Event also needs `patch` on events, which a
/// replay never shows (see the README).
public struct HookRBAC: Sendable, Equatable {
    public struct Rule: Hashable, Sendable, Comparable {
        public var group: String
        public var resource: String
        public var verb: String

        public init(group: String, resource: String, verb: String) {
            self.group = group
            self.resource = resource
            self.verb = verb
        }

        public static func < (a: Rule, b: Rule) -> Bool { (a.group, a.resource, a.verb) < (b.group, b.resource, b.verb) }
    }

    /// Rules per namespace (Roles), and cluster-wide (a ClusterRole).
    public private(set) var namespaced: [String: Set<Rule>] = [:]
    public private(set) var clusterWide: Set<Rule> = []

    /// - Parameter stateNamespace: where `kubelua run` keeps the hooks' state in ConfigMaps: it
    ///   gets what that needs (configmaps: get, list, create, update, patch) and nothing more.
    /// - Parameter leaseNamespace: where `run --leader-elect` keeps its Leases: get, create and
    ///   update on leases there, list and delete (with `--shards`, each replica lists the member
    ///   Leases and deletes those of replicas gone for good).
    public init(layout: HookLayout, calls: [KubeCall], stateNamespace: String? = nil, leaseNamespace: String? = nil) {
        let watch = ["list", "watch"].map { Rule(group: "", resource: "pods", verb: $0) }
        if let stateNamespace, !layout.hooks.isEmpty {
            namespaced[stateNamespace, default: []].formUnion(
                ["get", "list", "create", "update", "patch"].map { Rule(group: "", resource: "configmaps", verb: $0) })
        }
        if let leaseNamespace {
            namespaced[leaseNamespace, default: []].formUnion(
                ["get", "create", "update", "list", "delete"].map { Rule(group: "coordination.k8s.io", resource: "leases", verb: $0) })
        }
        for namespace in layout.namespaces { namespaced[namespace, default: []].formUnion(watch) }
        if layout.watchesAllNamespaces { clusterWide.formUnion(watch) }
        for call in calls {
            let fromAll = call.hook.hasPrefix(HookLayout.allNamespacesFolder + "/")
            for rule in Self.rules(for: call) {
                if fromAll || !KindNames.isNamespaced(group: GroupVersion(call.apiVersion).group, kind: call.kind) || call.namespace == nil {
                    clusterWide.insert(rule)
                } else if let namespace = call.namespace {
                    namespaced[namespace, default: []].insert(rule)
                }
            }
        }
    }

    static func rules(for call: KubeCall) -> [Rule] {
        let group = GroupVersion(call.apiVersion).group
        let resource = KindNames.resource(of: call.kind)
        switch call.verb {
        case .evict: return [Rule(group: "", resource: "pods/eviction", verb: "create")]
        default: return [Rule(group: group, resource: resource, verb: call.verb.rawValue)]
        }
    }

    /// The Roles, ClusterRole and their bindings to `serviceAccount` as YAML documents.
    public func yaml(name: String, serviceAccount: (namespace: String, name: String)) -> String {
        var documents: [String] = []
        for namespace in namespaced.keys.sorted() {
            documents.append(Self.role(kind: "Role", name: name, namespace: namespace, rules: namespaced[namespace]!))
            documents.append(Self.binding(kind: "RoleBinding", roleKind: "Role", name: name, namespace: namespace, serviceAccount: serviceAccount))
        }
        if !clusterWide.isEmpty {
            documents.append(Self.role(kind: "ClusterRole", name: name, namespace: nil, rules: clusterWide))
            documents.append(Self.binding(kind: "ClusterRoleBinding", roleKind: "ClusterRole", name: name, namespace: nil, serviceAccount: serviceAccount))
        }
        return documents.joined(separator: "---\n")
    }

    private static func metadata(_ name: String, _ namespace: String?) -> String {
        "metadata:\n  name: \(name)\n" + (namespace.map { "  namespace: \($0)\n" } ?? "")
    }

    private static func role(kind: String, name: String, namespace: String?, rules: Set<Rule>) -> String {
        var text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: \(kind)\n" + metadata(name, namespace) + "rules:\n"
        let byResource = Dictionary(grouping: rules) { [$0.group, $0.resource] }
        for key in byResource.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let verbs = byResource[key]!.map(\.verb).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            text += "- apiGroups: [\"\(key[0])\"]\n  resources: [\"\(key[1])\"]\n  verbs: [\(verbs)]\n"
        }
        return text
    }

    private static func binding(kind: String, roleKind: String, name: String, namespace: String?, serviceAccount: (namespace: String, name: String)) -> String {
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: \(kind)\n" + metadata(name, namespace)
            + "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: \(roleKind)\n  name: \(name)\n"
            + "subjects:\n- kind: ServiceAccount\n  name: \(serviceAccount.name)\n  namespace: \(serviceAccount.namespace)\n"
    }
}
