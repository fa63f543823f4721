/// The list → watch → relist protocol of `docs/informer.md`, as a pure state machine:
/// the reflector reports what happened on the wire and performs the actions it gets back.
///
/// The protocol is strict: each report is valid in one phase only (a page while listing, an
/// event while watching, an elapsed delay while waiting). A report in another phase is a bug in
/// the reflector: debug builds stop at an assertion; release builds log a warning and relist
/// (after backoff), which puts the cache back in step with the server whatever went wrong.
public struct ReflectorStateMachine: Sendable {
    public struct ListRequest: Sendable, Equatable {
        public var resourceVersion: String
        public var continueToken: String?
        /// Page size; nil for one full list (after a continue token expired).
        public var limit: Int?
    }

    public struct WatchRequest: Sendable, Equatable {
        public var resourceVersion: String
        public var timeoutSeconds: Int
    }

    public enum Action: Sendable, Equatable {
        /// Request a list page, then report `listPageReceived` or `listFailed`.
        case list(ListRequest)
        /// Open a watch and report each event (`watchEventReceived`, `watchEventMalformed`),
        /// then how it ended (`watchFailed`, `watchEnded`).
        case watch(WatchRequest)
        /// Wait, then report `delayElapsed()`.
        case wait(Duration)
        /// Hand these events to consumers.
        case deliver([PodEvent])
        /// The first list has been applied.
        case synced
        /// Tell monitoring (a relist or rewatch comes before the request that begins it).
        case report(ReflectorReport)
        /// Credentials were refused (401): refresh them before the next request.
        case refreshCredentials
        /// Log this warning (something the user should know about the server, or a protocol bug).
        case warn(String)
    }

    /// What may follow a wait.
    enum Request: Equatable {
        case list(ListRequest)
        case watch(WatchRequest)
    }

    /// How a list or watch request failed before any event.
    public typealias Failure = KubeRequestFailure

    enum Phase: Equatable {
        case idle
        case listing(ListRequest, items: [PodRecord])
        case watching(WatchRequest)
        case waiting(then: Request)
    }

    public let pageSize: Int
    /// The namespace the reflector lists and watches (nil: all): the part of the cache a list replaces.
    public let namespace: String?
    var phase: Phase = .idle
    /// The resource version the cache reflects; nil until the first list.
    public internal(set) var lastResourceVersion: String?
    var backoff: Backoff
    /// Whether the user has been told that the server omits resource versions or UIDs (once
    /// per reflector run: it is a property of the server, not of one response).
    var reportedMissingMetadata = false
    /// False only in tests of the release-build answer to a report in the wrong phase.
    var assertsOnMisuse = true
    private let now: @Sendable () -> ContinuousClock.Instant
    private let random: @Sendable () -> Double

    public init(
        namespace: String? = nil, pageSize: Int = 500, backoff: Backoff = Backoff(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.namespace = namespace
        self.pageSize = pageSize
        self.backoff = backoff
        self.now = now
        self.random = random
    }

    public var isSynced: Bool { lastResourceVersion != nil }

    /// The first request; `reason` says why this reflector runs (reported as its first list's).
    public mutating func start(because reason: RelistReason = .start) -> [Action] {
        guard case .idle = phase else { return misuse("start") }
        return [.report(.relisting(reason)), startList(resourceVersion: "")]
    }

    public mutating func delayElapsed() -> [Action] {
        guard case .waiting(let next) = phase else { return misuse("delayElapsed") }
        switch next {
        case .list(let request):
            phase = .listing(request, items: [])
            return [.list(request)]
        case .watch(let request):
            phase = .watching(request)
            return [.watch(request)]
        }
    }
}

extension ReflectorStateMachine.Action {
    /// list, watch and wait each begin the next step of the cycle: while a watch is being read,
    /// one of them means that watch is over.
    public var beginsStep: Bool {
        switch self {
        case .list, .watch, .wait: true
        case .deliver, .synced, .report, .refreshCredentials, .warn: false
        }
    }
}

extension ReflectorStateMachine {
    mutating func startList(resourceVersion: String, paged: Bool = true) -> Action {
        let request = ListRequest(resourceVersion: resourceVersion, continueToken: nil, limit: paged ? pageSize : nil)
        phase = .listing(request, items: [])
        return .list(request)
    }

    mutating func startWatch() -> Action {
        // A random timeout in [300, 600) s spreads the re-watches of many clients.
        let request = WatchRequest(resourceVersion: lastResourceVersion ?? "", timeoutSeconds: 300 + min(299, Int(random() * 300)))
        phase = .watching(request)
        return .watch(request)
    }

    /// Waits (backoff, or the server's Retry-After when longer) before `next`.
    mutating func retry(_ next: Request, retryAfterSeconds: Int? = nil) -> Action {
        var delay = backoff.nextDelay(now: now(), random: random())
        if let retryAfterSeconds { delay = max(delay, .seconds(retryAfterSeconds)) }
        phase = .waiting(then: next)
        return .wait(delay)
    }

    /// The list request a relist from the last resource version starts with.
    var relistRequest: ListRequest {
        ListRequest(resourceVersion: lastResourceVersion ?? "", continueToken: nil, limit: pageSize)
    }

    /// A report that is not valid in the current phase: a bug in the caller. Stops debug
    /// builds; otherwise warns and relists after backoff, so the cache is rebuilt from the
    /// server instead of drifting.
    mutating func misuse(_ report: String) -> [Action] {
        let message = "reflector protocol error: \(report) reported while \(phase.name); relisting"
        if assertsOnMisuse { assertionFailure(message) }
        return [.warn(message), .report(.relisting(.error)), retry(.list(relistRequest))]
    }
}

extension ReflectorStateMachine.Phase {
    var name: String {
        switch self {
        case .idle: "idle"
        case .listing: "listing"
        case .watching: "watching"
        case .waiting: "waiting"
        }
    }
}
