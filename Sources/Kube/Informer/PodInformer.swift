import Logging
import ServiceLifecycle

/// Watches pods for several queries at once (one list/watch per namespace, so a Role per
/// namespace suffices, or one for all namespaces) and merges their updates. Per pod, updates
/// keep the server's order; across pods there is no order. Runs until graceful shutdown.
public struct PodInformer: Service {
    public let reflectors: [PodReflector]

    public init(
        client: KubeClient, queries: [PodQuery], logger: Logger,
        deliver: @escaping @Sendable (InformerUpdate) -> Void
    ) {
        reflectors = queries.map { PodReflector(client: client, query: $0, logger: logger, deliver: deliver) }
    }

    public init(reflectors: [PodReflector]) {
        self.reflectors = reflectors
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for reflector in reflectors {
                    group.addTask { await reflector.run() }
                }
            }
        }
    }
}
