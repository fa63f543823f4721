/// The resource (plural) names of common kinds, for when there is no API server to ask
/// (`kubelua replay`, `kubelua rbac`); other kinds are pluralised as kubectl does without
/// discovery (lower case; `y` → `ies`; `s`, `x`, `ch`, `sh` → `+es`; else `+s`).
public enum KindNames {
    static let known: [String: String] = [
        "Pod": "pods", "Event": "events", "ConfigMap": "configmaps", "Secret": "secrets", "Node": "nodes",
        "Namespace": "namespaces", "Service": "services", "Endpoints": "endpoints", "ServiceAccount": "serviceaccounts",
        "PersistentVolumeClaim": "persistentvolumeclaims", "PersistentVolume": "persistentvolumes",
        "Job": "jobs", "CronJob": "cronjobs", "ReplicaSet": "replicasets", "Deployment": "deployments",
        "StatefulSet": "statefulsets", "DaemonSet": "daemonsets", "PodDisruptionBudget": "poddisruptionbudgets",
        "Lease": "leases", "Ingress": "ingresses", "NetworkPolicy": "networkpolicies",
    ]

    /// The built-in kinds that are not namespaced, per API group: without a server to ask, how
    /// `kube` calls know a cluster-scoped kind (a hook of a namespace folder may not reach it).
    static let clusterScoped: [String: Set<String>] = [
        "": ["Node", "Namespace", "PersistentVolume", "ComponentStatus"],
        "rbac.authorization.k8s.io": ["ClusterRole", "ClusterRoleBinding"],
        "storage.k8s.io": ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "VolumeAttributesClass"],
        "apiextensions.k8s.io": ["CustomResourceDefinition"],
        "apiregistration.k8s.io": ["APIService"],
        "admissionregistration.k8s.io": [
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
        ],
        "scheduling.k8s.io": ["PriorityClass"],
        "node.k8s.io": ["RuntimeClass"],
        "certificates.k8s.io": ["CertificateSigningRequest", "ClusterTrustBundle"],
        "networking.k8s.io": ["IngressClass", "IPAddress", "ServiceCIDR"],
        "flowcontrol.apiserver.k8s.io": ["FlowSchema", "PriorityLevelConfiguration"],
        "authentication.k8s.io": ["TokenReview", "SelfSubjectReview"],
        "authorization.k8s.io": ["SubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview"],
        "internal.apiserver.k8s.io": ["StorageVersion"],
        "resource.k8s.io": ["DeviceClass", "ResourceSlice"],
        "storagemigration.k8s.io": ["StorageVersionMigration"],
    ]

    /// The built-in cluster-scoped resources as RBAC and kubectl name them (`nodes`,
    /// `storageclasses.storage.k8s.io`).
    public static var clusterScopedResources: Set<String> {
        Set(clusterScoped.flatMap { group, kinds in kinds.map { resource(of: $0) + (group.isEmpty ? "" : "." + group) } })
    }

    /// Whether `group` is one of Kubernetes' own API groups (not a custom resource's).
    public static func isBuiltIn(group: String) -> Bool {
        clusterScoped[group] != nil || ["apps", "batch", "policy", "autoscaling", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io"].contains(group)
    }

    public static func resource(of kind: String) -> String {
        if let name = known[kind] { return name }
        let lower = kind.lowercased()
        if lower.hasSuffix("y"), let last = lower.dropLast().last, !"aeiou".contains(last) { return lower.dropLast() + "ies" }
        if ["s", "x", "ch", "sh"].contains(where: lower.hasSuffix) { return lower + "es" }
        return lower + "s"
    }

    /// Whether `kind` of API `group` is namespaced, as far as it is known without a server: the
    /// built-in cluster-scoped kinds are not, any other kind (a custom resource) is taken to be.
    public static func isNamespaced(group: String, kind: String) -> Bool { clusterScoped[group]?.contains(kind) != true }
}
