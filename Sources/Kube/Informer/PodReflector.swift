import AsyncHTTPClient
import Logging

/// Runs the list/watch loop for one query (a namespace, or all) against the API server: it
/// performs what `ReflectorStateMachine` decides and hands every change to `deliver`, which must
/// not block (the watch keeps reading while consumers lag).
public struct PodReflector: Sendable {
    public let client: KubeClient
    public let query: PodQuery
    let pageSize: Int
    let backoff: Backoff
    /// Every delay goes through here, so tests can run backoffs instantly.
    let sleep: @Sendable (Duration) async throws -> Void
    let deliver: @Sendable (InformerUpdate) -> Void
    let logger: Logger

    public init(
        client: KubeClient, query: PodQuery, pageSize: Int = 500, backoff: Backoff = Backoff(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger, deliver: @escaping @Sendable (InformerUpdate) -> Void
    ) {
        self.client = client
        self.query = query
        self.pageSize = pageSize
        self.backoff = backoff
        self.sleep = sleep
        self.logger = logger
        self.deliver = deliver
    }

    /// Lists and watches until the task is cancelled.
    public func run() async {
        var machine = ReflectorStateMachine(pageSize: pageSize, backoff: backoff)
        var pending = machine.start()
        while !pending.isEmpty, !Task.isCancelled {
            let action = pending.removeFirst()
            pending += await perform(action, on: &machine)
        }
    }

    private func perform(_ action: ReflectorStateMachine.Action, on machine: inout ReflectorStateMachine) async -> [ReflectorStateMachine.Action] {
        switch action {
        case .list(let request):
            do {
                return machine.listPageReceived(try await client.listPods(query, request))
            } catch {
                logger.warning("pod list failed", metadata: ["query": "\(query)", "error": "\(error)"])
                return machine.listFailed(error)
            }
        case .watch(let request):
            return await watch(request, on: &machine)
        case .wait(let delay):
            logger.debug("waiting before the next request", metadata: ["query": "\(query)", "delay": "\(delay)"])
            do { try await sleep(delay) } catch { return [] }
            return machine.delayElapsed()
        case .deliver(let events):
            deliver(.events(events))
        case .synced:
            logger.info("pods synced", metadata: ["query": "\(query)", "pods": .stringConvertible(machine.store.count)])
            deliver(.synced(query))
        case .refreshCredentials:
            await client.connection.credentials?.invalidate()
        case .stopWatch:
            break
        }
        return []
    }
}
