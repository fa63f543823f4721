import Kube

extension KubeHelper {
    /// The `kube` of `kubelua replay` and `kubelua rbac`: no cluster, replay's backend over `cache`
    /// and `objects` (its calls kept for RBAC), and an Event recorder whose clock stands still, so
    /// repeated Events are always aggregated and never patched: a recording prints the same
    /// ACTION lines however fast it replays.
    public static func offline(
        cache: PodCache, objects: ReplayObjects = ReplayObjects(), printAction: @escaping @Sendable (String) -> Void
    ) -> (kube: KubeHelper, backend: ReplayKubeBackend) {
        let backend = ReplayKubeBackend(cache: cache, objects: objects, printAction: printAction)
        let start = ContinuousClock.now
        return (KubeHelper(cache: cache, backend: backend, events: KubeEventRecorder(now: { start })), backend)
    }
}

extension ReplayObjects {
    /// The objects of every file in `files`, in order.
    public init(files: [String]) throws {
        self.init()
        for file in files { try load(file: file) }
    }
}
