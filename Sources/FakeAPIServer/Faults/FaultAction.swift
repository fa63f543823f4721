/// What the server does wrong for one request. Faults are data: tests enqueue them with
/// `FakeAPIServer.inject(_:on:_:)` and read as the fault-matrix rows they implement.
///
/// "Events" count ADDED/MODIFIED/DELETED lines written on a watch (synthetic ADDED included,
/// bookmarks not). Actions meant for watches have a plain-request meaning where one is natural,
/// noted on each case; otherwise they are ignored for non-watch requests.
public indirect enum FaultAction: Sendable, Equatable {
    /// Respond normally (what a delay is followed by, by default).
    case proceed
    /// Wait (server-side, on the event loop), then apply `then`.
    case delayed(by: Duration, then: FaultAction)
    /// Respond with the Status's HTTP code and the Status as the body. A 429 carries
    /// `Retry-After` (from `details.retryAfterSeconds`).
    case status(StatusError)
    /// HTTP 200, then one ERROR event carrying the Status, then a clean end of the response.
    case errorEvent(StatusError)
    /// Send the response headers, then nothing until the client or the server closes.
    case hangAfterHeaders
    /// Watch: end the response cleanly (terminal chunk) after N events.
    /// Other requests: close the connection without responding.
    case closeAfter(events: Int)
    /// Watch: after N events, reset the TCP connection (SO_LINGER 0, then close).
    /// Other requests: reset without responding.
    case resetAfter(events: Int)
    /// Watch: after N events, write the first half of the next event and close the connection.
    /// Other requests: send the headers and half of the body, then close.
    case partialEventThenClose(afterEvents: Int)
    /// Write every event (every response body, for other requests) as K chunks.
    case splitEvents(chunks: Int)
    /// Watch: after N events, a line that is not JSON; the stream then goes on.
    case garbageLine(afterEvents: Int)
    /// Watch: after N events, a well-formed event of an unknown type; the stream then goes on.
    case unknownEventType(afterEvents: Int)
    /// Watch: after N events, one event of this type carrying this object (JSON), whatever the
    /// store holds: an ADDED for a pod the client already listed, a MODIFIED or DELETED for one
    /// it never saw, as a lagging watch cache can send. The stream then goes on.
    case event(type: String, object: [UInt8], afterEvents: Int)
    /// Watch: no ADDED/MODIFIED/DELETED at all; a BOOKMARK at once and then at every bookmark
    /// interval, whether or not the client asked for bookmarks.
    case onlyBookmarks
    /// Several at once, e.g. split events and a partial event.
    case combined([FaultAction])
    /// Refuse the request as the real server would refuse that very request: 403 Forbidden
    /// naming the user, verb, resource and namespace as RBAC does; 409 Conflict on the object
    /// it names; 429 TooManyRequests with `Retry-After`; another code, `status(code:)`'s Status.
    case refuse(code: Int, retryAfterSeconds: Int = 1)
}

extension FaultAction {
    /// Wait, then respond normally.
    public static func delay(_ duration: Duration) -> FaultAction { .delayed(by: duration, then: .proceed) }

    /// HTTP status `code` with the Status the real server would send for it
    /// (see `StatusError.standard(code:)`).
    public static func status(code: Int) -> FaultAction { .status(.standard(code: code)) }

    /// HTTP 200, then an ERROR event with the standard Status for `code`.
    public static func errorEvent(code: Int) -> FaultAction { .errorEvent(.standard(code: code)) }

    /// 429 with `Retry-After` and `details.retryAfterSeconds`.
    public static func tooManyRequests(retryAfterSeconds: Int) -> FaultAction {
        .status(.tooManyRequests(retryAfterSeconds: retryAfterSeconds))
    }

    /// 410 Expired for a list continue page (inject on `.continuePage` or `.page(n)`).
    public static let expiredContinue = FaultAction.status(.continueExpired)
}

extension StatusError {
    /// The Status the server uses for a bare code in faults: 401 Unauthorized, 404 NotFound,
    /// 409 Conflict, 410 Expired, 429 TooManyRequests (retry after 1 s), 500 InternalError,
    /// 503 ServiceUnavailable, 504 "Too large resource version"; anything else a generic Status.
    public static func standard(code: Int) -> StatusError {
        switch code {
        case 401: .unauthorized
        case 404: StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        case 409: StatusError(code: 409, reason: "Conflict", message: "injected conflict")
        case 410: .gone()
        case 429: .tooManyRequests(retryAfterSeconds: 1)
        case 500: .internalError
        case 503: .serviceUnavailable
        case 504: .tooLargeResourceVersion(requested: "0", current: "0")
        default: StatusError(code: code, reason: "Unknown", message: "injected status \(code)")
        }
    }
}

extension StatusError {
    /// The Status of a `refuse` fault for one request.
    static func refusal(code: Int, retryAfterSeconds: Int, request: RequestInfo?, user: String) -> StatusError {
        switch (code, request?.resource) {
        case (403, let path?):
            return .forbidden(user: user, verb: request!.verb, group: path.group, resource: path.resource,
                              subresource: path.subresource, namespace: path.namespace, name: path.name)
        case (403, nil):
            return StatusError(code: 403, reason: "Forbidden",
                               message: "forbidden: User \"\(user)\" cannot \(request?.verb ?? "get") path \"\(request?.path ?? "/")\"")
        case (409, let path?):
            return .conflict(path.name, ResourceType(group: path.group, version: path.version, name: path.resource, kind: ""))
        case (429, _):
            return .tooManyRequests(retryAfterSeconds: retryAfterSeconds)
        default:
            return .standard(code: code)
        }
    }
}
