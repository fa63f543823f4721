import Kube

extension KubeHelper {
    /// The `kube` of `kubelua replay` and `kubelua rbac`: no cluster, replay's backend over `cache`
    /// and `objects` (its calls kept for RBAC), an Event recorder whose clock stands still, so
    /// repeated Events are always aggregated and never patched: a recording prints the same
    /// ACTION lines however fast it replays.
    public static func offline(
        cache: PodCache, objects: ReplayObjects = ReplayObjects(), clusterReads: Set<String> = [],
        reportRefusal: @escaping @Sendable (KubeFailure) -> Void = { _ in }, printAction: @escaping @Sendable (String) -> Void
    ) -> (kube: KubeHelper, backend: ReplayKubeBackend) {
        let backend = ReplayKubeBackend(cache: cache, objects: objects, printAction: printAction)
        let start = ContinuousClock.now
        let events = KubeEventRecorder(now: { start })
        return (KubeHelper(cache: cache, backend: backend, events: events, clusterReads: clusterReads, reportRefusal: reportRefusal), backend)
    }
}

extension ReplayObjects {
    /// The objects of every file in `files`, in order.
    public init(files: [String]) throws {
        self.init()
        for file in files { try load(file: file) }
    }
}
