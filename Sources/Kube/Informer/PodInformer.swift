import Logging

/// Watches pods for a set of queries that may change while it runs (one list/watch per
/// namespace, so a Role per namespace suffices, or one for all namespaces), into one cache, and
/// hands every change to one consumer through `deliver`, which must not block. Per pod, events
/// keep the server's order; across pods there is no order.
///
/// When the queries change, the watches that go are stopped before the new ones start, and the
/// new ones list into the same cache: pods already known produce no event, so consumers never see
/// a pod twice because a watch restarted.
public actor PodInformer {
    public nonisolated let cache: PodCache
    let client: KubeClient
    let logger: Logger
    let deliver: @Sendable (InformerUpdate) -> Void
    let reflector: @Sendable (PodQuery) -> PodReflector
    private var running: [PodQuery: Task<Void, Never>] = [:]
    /// What `watch` was last asked for: a relist restarts only these.
    private var wanted: Set<PodQuery> = []
    /// Whether `watch` has been called: the watches it starts after the first call start
    /// because the queries changed.
    private var started = false

    /// - Parameters:
    ///   - pageSize, sleep: passed to every reflector (tests run backoffs instantly).
    ///   - ledger: the consumers' backlog, whose bound every reflector waits on (nil: unbounded).
    ///   - observe: gets every reflector's reports, for monitoring.
    public init(
        client: KubeClient, cache: PodCache = PodCache(), pageSize: Int = 500,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        ledger: BacklogLedger? = nil, logger: Logger, observe: @escaping ReflectorObserver = { _, _ in },
        deliver: @escaping @Sendable (InformerUpdate) -> Void
    ) {
        self.cache = cache
        self.client = client
        self.logger = logger
        self.deliver = deliver
        reflector = { query in
            PodReflector(
                client: client, query: query, cache: cache, pageSize: pageSize, sleep: sleep, ledger: ledger, logger: logger,
                observe: observe, deliver: deliver)
        }
    }

    /// The queries being watched.
    public var queries: Set<PodQuery> { Set(running.keys) }

    /// Watches exactly `wanted`: stops (and waits for) the watches not wanted any more, forgets
    /// the pods no remaining watch covers, starts the new ones.
    public func watch(_ wanted: [PodQuery]) async {
        let wanted = Set(wanted)
        self.wanted = wanted
        let leaving = running.filter { !wanted.contains($0.key) }
        for (query, task) in leaving {
            logger.info("stopping pod watch", metadata: ["query": "\(query)"])
            task.cancel()
            running[query] = nil
        }
        for task in leaving.values { await task.value }
        let covered: Set<String>? = wanted.contains { $0.namespace == nil } ? nil : Set(wanted.compactMap(\.namespace))
        cache.update { $0.forget(keeping: covered) }
        let reason: RelistReason = started ? .queriesChanged : .start
        started = true
        for query in wanted where running[query] == nil {
            logger.info("starting pod watch", metadata: ["query": "\(query)"])
            running[query] = Task { [reflector] in await reflector(query).run(because: reason) }
        }
    }

    /// Restarts the watches of `namespaces` (nil: the all-namespaces watch) so that they list
    /// again, reading every pod anew into the cache (a pod whose version is unchanged makes no
    /// event); returns once each has applied that list, or stopped.
    public func relist(_ namespaces: Set<String?>) async {
        let restarting = running.filter { namespaces.contains($0.key.namespace) }
        for (query, task) in restarting {
            task.cancel()
            running[query] = nil
        }
        for task in restarting.values { await task.value }
        await withDiscardingTaskGroup { group in
            // Stopped or changed meanwhile: only what is still wanted and not running restarts.
            for query in restarting.keys where wanted.contains(query) && running[query] == nil {
                logger.info("relisting pod watch: hooks read more of each pod", metadata: ["query": "\(query)"])
                let (listed, done) = AsyncStream<Never>.makeStream()
                running[query] = Task { [reflector] in
                    await reflector(query).run(because: .projectionWidened, whenSynced: { done.finish() })
                    done.finish()
                }
                group.addTask { for await _ in listed {} }
            }
        }
    }

    /// Stops every watch and waits for them to end.
    public func stop() async {
        await watch([])
    }
}
