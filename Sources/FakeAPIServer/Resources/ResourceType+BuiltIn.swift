/// The resource types a new server offers: pods with their status and eviction subresources,
/// and the kinds hooks act on (Events in both groups, Jobs, ReplicaSets, ConfigMaps, Nodes,
/// Namespaces, PodDisruptionBudgets, Leases).
extension ResourceType {
    public static let pods = ResourceType(group: "", version: "v1", name: "pods", kind: "Pod",
                                          shortNames: ["po"], categories: ["all"])
    public static let podStatus = ResourceType(group: "", version: "v1", name: "pods/status", kind: "Pod",
                                               verbs: ["get", "patch", "update"])
    public static let podEviction = ResourceType(group: "", version: "v1", name: "pods/eviction", kind: "Eviction",
                                                 verbs: ["create"], kindGroup: "policy", kindVersion: "v1")
    public static let events = ResourceType(group: "", version: "v1", name: "events", kind: "Event",
                                            shortNames: ["ev"], storage: "events")
    public static let configMaps = ResourceType(group: "", version: "v1", name: "configmaps", kind: "ConfigMap",
                                                shortNames: ["cm"])
    public static let nodes = ResourceType(group: "", version: "v1", name: "nodes", kind: "Node", namespaced: false,
                                           shortNames: ["no"])
    public static let namespaces = ResourceType(group: "", version: "v1", name: "namespaces", kind: "Namespace",
                                                namespaced: false, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                                                shortNames: ["ns"])
    public static let jobs = ResourceType(group: "batch", version: "v1", name: "jobs", kind: "Job", categories: ["all"])
    public static let jobStatus = ResourceType(group: "batch", version: "v1", name: "jobs/status", kind: "Job",
                                               verbs: ["get", "patch", "update"])
    public static let replicaSets = ResourceType(group: "apps", version: "v1", name: "replicasets", kind: "ReplicaSet",
                                                 shortNames: ["rs"], categories: ["all"])
    public static let eventsV1 = ResourceType(group: "events.k8s.io", version: "v1", name: "events", kind: "Event",
                                              shortNames: ["ev"], storage: "events")
    public static let podDisruptionBudgets = ResourceType(group: "policy", version: "v1", name: "poddisruptionbudgets",
                                                          kind: "PodDisruptionBudget", shortNames: ["pdb"])
    public static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", name: "leases", kind: "Lease")

    static let builtIn: [ResourceType] = [
        .pods, .podStatus, .podEviction, .events, .configMaps, .nodes, .namespaces,
        .jobs, .jobStatus, .replicaSets, .eventsV1, .podDisruptionBudgets, .leases,
    ]
}
