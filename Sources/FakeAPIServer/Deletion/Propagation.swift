
/// What deleting an owner does to the pods that name it in `ownerReferences`, done at once
/// where the real garbage collector works in the background: Background and Foreground delete
/// them, Orphan removes the owner reference from them.
enum Propagation {
    /// The requested policy, else the resource's default: Orphan for batch/v1 Jobs (the API's
    /// old default, kept for compatibility; kubectl always asks for Background), Background
    /// for everything else.
    static func policy(requested: String?, for type: ResourceType) -> String {
        requested ?? (type.group == "batch" && type.name == "jobs" ? "Orphan" : "Background")
    }

    static func apply(_ policy: String, ownerUID: String, namespace: String, pods: PodRegistry) {
        guard !ownerUID.isEmpty else { return }
        let filter = PodFilter(namespace: namespace.isEmpty ? nil : namespace, labels: LabelFilter(), fields: FieldFilter())
        for pod in pods.pods(matching: filter) where ownerUIDs(of: pod).contains(ownerUID) {
            if policy == "Orphan" {
                _ = try? pods.mutate(namespace: pod.namespace, name: pod.name) { object in
                    var metadata = object["metadata"] as? [String: Any] ?? [:]
                    let references = metadata["ownerReferences"] as? [[String: Any]] ?? []
                    let kept = references.filter { $0["uid"] as? String != ownerUID }
                    metadata["ownerReferences"] = kept.isEmpty ? nil : kept
                    object["metadata"] = metadata
                }
            } else {
                _ = try? pods.delete(namespace: pod.namespace, name: pod.name, uid: pod.uid)
            }
        }
    }

    private static func ownerUIDs(of pod: StoredPod) -> [String] {
        let metadata = pod.object()["metadata"] as? [String: Any] ?? [:]
        return (metadata["ownerReferences"] as? [[String: Any]] ?? []).compactMap { $0["uid"] as? String }
    }
}
