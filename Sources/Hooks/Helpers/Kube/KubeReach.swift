import Kube

/// What a hook may reach with `kube`: a namespace folder is a tenant boundary. A hook of
/// `hooks/<ns>/` reaches namespaced objects in `<ns>` only (a call without a namespace means
/// `<ns>`), plus reads (get, list) of the cluster-scoped resources the operator opened with
/// `--allow-cluster-read`; an `_all/` hook reaches everything. A call outside is refused before
/// anything is sent, as `Forbidden`.
public struct KubeReach: Sendable {
    public let scope: HookScope
    /// Cluster-scoped resources namespace hooks may get and list (`nodes`,
    /// `storageclasses.storage.k8s.io`): the operator's choice, never a hook's.
    public let clusterReads: Set<String>

    public init(scope: HookScope, clusterReads: Set<String> = []) {
        self.scope = scope
        self.clusterReads = clusterReads
    }

    /// `call` as it may be sent (its namespace filled in for a namespace hook), or the refusal.
    /// `what` names the call in the message (`delete`, `event regarding`); `resource` is where
    /// the call's kind lives, as discovery or the built-in names say.
    public func admit(_ call: KubeCall, as what: String, resource: APIResource) -> Result<KubeCall, KubeFailure> {
        guard case .namespace(let own) = scope else { return .success(call) }
        let object = [call.namespace, call.name].compactMap { $0 }.joined(separator: "/")
        let target = [what, call.kind, object].filter { !$0.isEmpty }.joined(separator: " ")
        if let namespace = call.namespace, namespace != own {
            return .failure(refusal(call, target, "namespace \(namespace) is outside its scope (namespace \(own))"))
        }
        if !resource.namespaced {
            if !call.verb.writes, clusterReads.contains(resource.description) {
                var admitted = call
                admitted.namespace = nil
                return .success(admitted)
            }
            let opening = call.verb.writes ? "" : "; the operator may open reads of it to namespace hooks with --allow-cluster-read \(resource)"
            return .failure(refusal(call, target, "\(resource) is cluster-scoped and its scope is namespace \(own)\(opening)"))
        }
        var admitted = call
        admitted.namespace = own
        return .success(admitted)
    }

    private func refusal(_ call: KubeCall, _ target: String, _ why: String) -> KubeFailure {
        KubeFailure(
            status: 0, reason: "Forbidden",
            message: "kubelua refused \(target) by hook \(call.hook): \(why) (only \(HookLayout.allNamespacesFolder)/ hooks reach other namespaces and cluster-scoped kinds)")
    }
}

extension APIResource {
    /// The resource of a kind as known without a server: the built-in cluster-scoped kinds, any
    /// other taken as namespaced (offline nothing is sent, and a Role cannot grant a cluster-scoped
    /// kind anyway).
    static func offline(apiVersion: String, kind: String) -> APIResource {
        let groupVersion = GroupVersion(apiVersion)
        return APIResource(
            groupVersion: groupVersion, name: KindNames.resource(of: kind), kind: kind,
            namespaced: KindNames.isNamespaced(group: groupVersion.group, kind: kind), verbs: [])
    }
}
