import AsyncHTTPClient
import Logging

/// Runs the list/watch loop for one query (a namespace, or all) against the API server: it
/// performs what `ReflectorStateMachine` decides, applies lists and events to the shared `cache`
/// and hands every change to `deliver`, which must not block. With a `ledger`, it stops
/// reading a watch while the consumers are at its bound (they reserve what they are handed).
/// What it does itself (relists, rewatches and their reasons, lists applied) goes to `observe`,
/// for monitoring.
public struct PodReflector: Sendable {
    public let client: KubeClient
    public let query: PodQuery
    public let cache: PodCache
    let pageSize: Int
    let backoff: Backoff
    /// Every delay goes through here, so tests can run backoffs instantly.
    let sleep: @Sendable (Duration) async throws -> Void
    /// What a watch's length is measured on (one that ends within a second without events is a
    /// failed round), so a test can say how long a watch lasted whatever the machine's load.
    let now: @Sendable () -> ContinuousClock.Instant
    let deliver: @Sendable (InformerUpdate) -> Void
    let observe: ReflectorObserver
    /// Nil: consumers may lag without bound.
    let ledger: BacklogLedger?
    let logger: Logger

    public init(
        client: KubeClient, query: PodQuery, cache: PodCache = PodCache(), pageSize: Int = 500, backoff: Backoff = Backoff(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        ledger: BacklogLedger? = nil, logger: Logger, observe: @escaping ReflectorObserver = { _, _ in },
        deliver: @escaping @Sendable (InformerUpdate) -> Void
    ) {
        self.now = now
        self.client = client
        self.query = query
        self.cache = cache
        self.pageSize = pageSize
        self.backoff = backoff
        self.sleep = sleep
        self.ledger = ledger
        self.logger = logger
        self.deliver = deliver
        self.observe = observe
    }

    /// Lists and watches until the task is cancelled; `reason` is why it runs (its first list's).
    /// `whenSynced` runs once its first list has been applied and delivered.
    public func run(because reason: RelistReason = .start, whenSynced: @Sendable () -> Void = {}) async {
        var machine = ReflectorStateMachine(namespace: query.namespace, pageSize: pageSize, backoff: backoff)
        var pending = machine.start(because: reason)
        while !pending.isEmpty, !Task.isCancelled {
            let action = pending.removeFirst()
            pending += await perform(action, on: &machine)
            if action == .synced { whenSynced() }
        }
    }

    /// The one place actions are carried out. Returns the actions that follow (those the
    /// machine gives back for what happened).
    func perform(_ action: ReflectorStateMachine.Action, on machine: inout ReflectorStateMachine) async -> [ReflectorStateMachine.Action] {
        switch action {
        case .list(let request):
            do {
                let page = try await client.listPods(query, request, projection: cache.projection(forWatch: query.namespace))
                return cache.update { machine.listPageReceived(page, cache: &$0) }
            } catch {
                let next = machine.listFailed(error)
                reportFailure(of: .list, error, then: next)
                return next
            }
        case .watch(let request):
            return await watch(request, on: &machine)
        case .wait(let delay):
            logger.debug("waiting before the next request", metadata: ["query": "\(query)", "delay_seconds": .stringConvertible(delay.timeInterval)])
            do { try await sleep(delay) } catch { return [] }
            return machine.delayElapsed()
        case .deliver(let events):
            deliver(.events(events))
        case .synced:
            logger.info("pods synced", metadata: ["query": "\(query)", "pods": .stringConvertible(cache.count(namespace: query.namespace))])
            deliver(.synced(query))
        case .report(let report):
            observe(query, report)
        case .refreshCredentials:
            await client.connection.credentials?.invalidate()
        case .warn(let message):
            logger.warning("\(message)", metadata: ["query": "\(query)"])
        }
        return []
    }
}
