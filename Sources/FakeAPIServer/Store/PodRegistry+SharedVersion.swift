/// One resource version counter for every kind, as etcd has one revision for everything.
extension PodRegistry {
    /// The next resource version, for a change outside the pod store (the generic objects).
    /// Pod watches get no event for it; a watch or list from it works like from any version.
    func nextResourceVersion() -> UInt64 {
        state.withLock { state in
            state.resourceVersion += 1
            return state.resourceVersion
        }
    }
}
