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

    /// Kinds that are not namespaced.
    static let clusterScoped: Set<String> = ["Node", "Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass"]

    public static func resource(of kind: String) -> String {
        if let name = known[kind] { return name }
        let lower = kind.lowercased()
        if lower.hasSuffix("y"), let last = lower.dropLast().last, !"aeiou".contains(last) { return lower.dropLast() + "ies" }
        if ["s", "x", "ch", "sh"].contains(where: lower.hasSuffix) { return lower + "es" }
        return lower + "s"
    }

    public static func isNamespaced(_ kind: String) -> Bool { !clusterScoped.contains(kind) }
}
