/// Past states of the store, rebuilt by undoing history: what continue tokens and
/// `resourceVersionMatch=Exact` lists read, so pages of one list are one consistent snapshot
/// as with etcd, and expire when compaction removes the history they need.
extension PodRegistry.State {
    /// The pods as they were at `resourceVersion`, or nil when that is compacted away.
    func snapshot(at resourceVersion: UInt64) -> [NamespacedName: StoredPod]? {
        if resourceVersion >= self.resourceVersion { return pods }
        guard history.covers(resourceVersion) else { return nil }
        var pods = self.pods
        for index in history.indices(after: resourceVersion).reversed() {
            let event = history[index]
            let key = event.pod.key
            switch event.type {
            case .added: pods[key] = nil
            default: pods[key] = event.previous
            }
        }
        return pods
    }
}
