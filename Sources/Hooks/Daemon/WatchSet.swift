import Kube
import Logging

/// The pod watches the hooks folder asks for, started and stopped as folders come and go.
actor WatchSet {
    let client: KubeClient
    let logger: Logger
    let deliver: @Sendable (InformerUpdate) -> Void
    private var running: [PodQuery: Task<Void, Never>] = [:]

    init(client: KubeClient, logger: Logger, deliver: @escaping @Sendable (InformerUpdate) -> Void) {
        self.client = client
        self.logger = logger
        self.deliver = deliver
    }

    var queries: Set<PodQuery> { Set(running.keys) }

    func update(_ wanted: [PodQuery]) {
        let wanted = Set(wanted)
        for (query, task) in running where !wanted.contains(query) {
            logger.info("stopping pod watch", metadata: ["query": "\(query)"])
            task.cancel()
            running[query] = nil
        }
        for query in wanted where running[query] == nil {
            logger.info("starting pod watch", metadata: ["query": "\(query)"])
            let reflector = PodReflector(client: client, query: query, logger: logger, deliver: deliver)
            running[query] = Task { await reflector.run() }
        }
    }

    func stopAll() {
        update([])
    }
}

extension HookLayout {
    /// One watch of all namespaces when `_all` exists (it covers every folder), else one per
    /// namespace folder, so a Role per namespace suffices.
    public func queries(labelSelector: String? = nil, fieldSelector: String? = nil) -> [PodQuery] {
        let namespaces: [String?] = watchesAllNamespaces ? [nil] : namespaces
        return namespaces.map { PodQuery(namespace: $0, labelSelector: labelSelector, fieldSelector: fieldSelector) }
    }
}
