import FakeAPIServer
import Foundation
import Logging
import Testing
@testable import Kube

/// What a reflector did, in order: the delays it asked for and the updates it delivered.
enum ReflectorOccurrence: Sendable {
    case slept(Duration)
    case delivered(InformerUpdate)
}

/// A report a reflector made, with the query it runs.
struct QueryReport: Sendable, Equatable {
    let query: PodQuery
    let report: ReflectorReport
}

/// A fake API server on 127.0.0.1 and real `KubeClient`s and `PodReflector`s against it, with
/// an instant, recording clock: what the fault-matrix tests drive and observe.
final class ReflectorHarness: @unchecked Sendable {
    let server: FakeAPIServer
    let sleeper: TestSleeper
    /// Sleeps and deliveries, interleaved as they happened.
    let timeline = Recorder<ReflectorOccurrence>()
    /// Every pod event delivered, in order.
    let events = Recorder<PodEvent>()
    /// Every report the reflectors made, in order.
    let reports = Recorder<QueryReport>()
    let log = LogCapture()
    private let lock = NSLock()
    private var running: [(task: Task<Void, Never>, client: KubeClient)] = []

    init(server: FakeAPIServer, holdingSleeps: Bool) {
        self.server = server
        let timeline = timeline
        sleeper = TestSleeper(holding: holdingSleeps) { timeline.append(.slept($0)) }
    }

    /// The server's URL, also before it has started (when its port was configured).
    var serverURL: URL {
        let port = server.port != 0 ? server.port : server.configuration.port
        return URL(string: "\(server.configuration.tls == nil ? "http" : "https")://127.0.0.1:\(port)")!
    }

    var logger: Logger {
        var logger = log.logger
        logger.logLevel = .debug
        return logger
    }

    /// Starts a reflector for `query` over `connection` (plain HTTP to the server, no
    /// credentials, by default), delivering to the harness and to `consumer`; returns its client.
    @discardableResult
    func startReflector(
        query: PodQuery = PodQuery(namespace: "default"), pageSize: Int = 500, idleTimeout: Duration = .seconds(120),
        connection: KubeConnection? = nil, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        alsoDeliverTo consumer: (@Sendable (InformerUpdate) -> Void)? = nil
    ) throws -> KubeClient {
        let client = try KubeClient(
            connection: connection ?? KubeConnection(server: serverURL, origin: "fake API server"),
            idleTimeout: idleTimeout, logger: logger)
        let sleeper = sleeper
        let record = deliver
        let reflector = PodReflector(
            client: client, query: query, pageSize: pageSize, sleep: { try await sleeper.sleep($0) }, now: now,
            logger: logger, observe: observe
        ) { update in
            record(update)
            consumer?(update)
        }
        let task = Task { await reflector.run() }
        lock.withLock { running.append((task, client)) }
        return client
    }

    /// Starts a `PodInformer` for `queries`, its reflectors sharing one client, as
    /// `kubelua events` runs them; returns it (its queries can change while it runs).
    @discardableResult
    func startInformer(queries: [PodQuery]) async throws -> PodInformer {
        let client = try KubeClient(connection: KubeConnection(server: serverURL, origin: "fake API server"), logger: logger)
        let sleeper = sleeper
        let informer = PodInformer(client: client, sleep: { try await sleeper.sleep($0) }, logger: logger, observe: observe, deliver: deliver)
        await informer.watch(queries)
        let task = Task {
            // Until stop() cancels this task.
            let (cancelled, keep) = AsyncStream<Never>.makeStream()
            for await _ in cancelled {}
            keep.finish()
            await informer.stop()
        }
        lock.withLock { running.append((task, client)) }
        return informer
    }

    /// What reflectors hand updates to: records them and returns at once.
    var deliver: @Sendable (InformerUpdate) -> Void {
        { [timeline, events] update in
            timeline.append(.delivered(update))
            if case .events(let batch) = update { batch.forEach(events.append) }
        }
    }

    /// What reflectors report to: records the reports.
    var observe: ReflectorObserver {
        { [reports] query, report in reports.append(QueryReport(query: query, report: report)) }
    }

    /// Cancels the reflectors and closes the server (which ends any watch still open).
    func stop() async {
        let running = lock.withLock { self.running }
        for reflector in running { reflector.task.cancel() }
        try? await server.shutdown()
        for reflector in running {
            await reflector.task.value
            try? await reflector.client.shutdown()
        }
    }
}

extension ReflectorHarness {
    /// The updates delivered so far, as `PodEvent.brief`s and "synced".
    var briefs: [String] {
        timeline.all.flatMap { occurrence -> [String] in
            switch occurrence {
            case .slept: []
            case .delivered(.events(let events)): events.map(\.brief)
            case .delivered(.synced): ["synced"]
            }
        }
    }

    var delays: [Duration] { sleeper.delays.all }

    var isSynced: Bool {
        timeline.all.contains { if case .delivered(.synced) = $0 { true } else { false } }
    }

    func waitForSynced() async {
        await timeline.wait { $0.contains { if case .delivered(.synced) = $0 { true } else { false } } }
    }

    /// Waits until `count` pod events in all have been delivered; returns them.
    @discardableResult
    func waitForEvents(_ count: Int) async -> [PodEvent] {
        await events.wait(count: count)
    }

    /// Waits until the reflector has asked for `count` delays in all; returns them.
    @discardableResult
    func waitForSleeps(_ count: Int) async -> [Duration] {
        await sleeper.delays.wait(count: count)
    }

    /// The Nth request of a kind (1-based), once it has arrived.
    func request(_ kind: RequestKind, _ ordinal: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RecordedRequest {
        try #require(await server.waitForRequest(kind, ordinal: ordinal), sourceLocation: sourceLocation)
    }

    /// The requests of a kind that have arrived so far.
    func requests(_ kind: RequestKind) -> [RecordedRequest] {
        server.requests.filter { $0.kind == kind }
    }
}

extension PodEvent {
    /// "add a initial", "update a Running", "delete b tombstone": what tests compare.
    var brief: String {
        let name = pod.key.namespace == "default" ? pod.key.name : pod.key.description
        switch kind {
        case .add: return "add \(name)" + (initial ? " initial" : "")
        case .update: return "update \(name) \(pod.phase ?? "-")"
        case .delete: return "delete \(name)" + (tombstone ? " tombstone" : "")
        }
    }
}

/// Runs `body` with a started fake server (configured by `configure`; left stopped when
/// `startServer` is false), then stops every reflector and the server.
func withReflectorHarness(
    holdingSleeps: Bool = false, startServer: Bool = true,
    _ configure: (inout FakeAPIServer.Configuration) -> Void = { _ in },
    _ body: (ReflectorHarness) async throws -> Void
) async throws {
    var configuration = FakeAPIServer.Configuration()
    configure(&configuration)
    let harness = ReflectorHarness(server: FakeAPIServer(configuration: configuration), holdingSleeps: holdingSleeps)
    if startServer { try await harness.server.start() }
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}

/// Backoff bounds of informer.md: the Nth failed round (0-based) waits in [0.8·2ⁿ, 1.6·2ⁿ) s.
func backoffBounds(round: Int) -> Range<Duration> {
    let base = Duration.milliseconds(800) * (1 << round)
    return base..<(base * 2)
}
