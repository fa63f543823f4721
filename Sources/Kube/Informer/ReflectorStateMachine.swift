/// The list → watch → relist protocol of `docs/informer.md`, as a pure state machine:
/// the reflector reports what happened on the wire and performs the actions it gets back.
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
        case list(ListRequest)
        case watch(WatchRequest)
        /// Close the watch being read (an ERROR event or a bad frame ended it).
        case stopWatch
        /// Wait, then report `delayElapsed()`.
        case wait(Duration)
        /// Hand these events to consumers.
        case deliver([PodEvent])
        /// The first list has been applied.
        case synced
        /// Credentials were refused (401): refresh them before the next request.
        case refreshCredentials
    }

    /// How a list or watch request failed before any event.
    public typealias Failure = KubeRequestFailure

    enum Phase: Equatable {
        case idle
        case listing(ListRequest, items: [PodRecord])
        case watching(WatchRequest)
        case waiting(then: Action)
    }

    public let pageSize: Int
    /// The namespace the reflector lists and watches (nil: all): the part of the cache a list replaces.
    public let namespace: String?
    var phase: Phase = .idle
    /// The resource version the cache reflects; nil until the first list.
    public internal(set) var lastResourceVersion: String?
    var backoff: Backoff
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

    /// The first request.
    public mutating func start() -> [Action] {
        [startList(resourceVersion: "")]
    }

    public mutating func delayElapsed() -> [Action] {
        guard case .waiting(let next) = phase else { return [] }
        switch next {
        case .list(let request): phase = .listing(request, items: [])
        case .watch(let request): phase = .watching(request)
        default: phase = .idle
        }
        return [next]
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
    mutating func retry(_ next: Action, retryAfterSeconds: Int? = nil) -> Action {
        var delay = backoff.nextDelay(now: now(), random: random())
        if let retryAfterSeconds { delay = max(delay, .seconds(retryAfterSeconds)) }
        phase = .waiting(then: next)
        return .wait(delay)
    }

    /// The list request a relist from the last resource version starts with.
    var relistRequest: ListRequest {
        ListRequest(resourceVersion: lastResourceVersion ?? "", continueToken: nil, limit: pageSize)
    }
}
