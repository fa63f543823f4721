import NIOCore

/// A `FaultAction` flattened into what the HTTP layer acts on at each step of a response.
struct FaultPlan {
    /// Instead of the normal response.
    enum Replacement {
        case status(StatusError)
        case errorEvent(StatusError)
        case hang
    }

    /// How a watch (or a plain response) ends early.
    enum Ending: Equatable {
        case close(afterEvents: Int)
        case reset(afterEvents: Int)
        case partial(afterEvents: Int)
    }

    var delay: Duration = .zero
    var replacement: Replacement?
    var ending: Ending?
    var chunksPerEvent = 1
    var onlyBookmarks = false
    /// Extra lines written once N events have gone out.
    var injections: [(afterEvents: Int, line: ByteBuffer)] = []

    /// `request` and `user` word the Status of a `refuse` action.
    init(_ action: FaultAction?, request: RequestInfo? = nil, user: String = AccessPolicy.defaultUser) {
        if let action { add(action, request: request, user: user) }
    }

    private mutating func add(_ action: FaultAction, request: RequestInfo?, user: String) {
        switch action {
        case .proceed: break
        case let .delayed(duration, then):
            delay += duration
            add(then, request: request, user: user)
        case let .status(status): replacement = replacement ?? .status(status)
        case let .errorEvent(status): replacement = replacement ?? .errorEvent(status)
        case .hangAfterHeaders: replacement = replacement ?? .hang
        case let .closeAfter(n): ending = ending ?? .close(afterEvents: n)
        case let .resetAfter(n): ending = ending ?? .reset(afterEvents: n)
        case let .partialEventThenClose(n): ending = ending ?? .partial(afterEvents: n)
        case let .splitEvents(chunks): chunksPerEvent = max(1, chunks)
        case let .garbageLine(n):
            injections.append((n, ByteBuffer(string: "this is not JSON {{{\n")))
        case let .unknownEventType(n):
            injections.append((n, EventLine.make("SURPRISE", object: Array("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{}}".utf8)).line))
        case let .event(type, object, n):
            injections.append((n, EventLine.make(type, object: object).line))
        case .onlyBookmarks: onlyBookmarks = true
        case let .combined(actions): actions.forEach { add($0, request: request, user: user) }
        case let .refuse(code, seconds):
            replacement = replacement ?? .status(.refusal(code: code, retryAfterSeconds: seconds, request: request, user: user))
        }
    }
}
