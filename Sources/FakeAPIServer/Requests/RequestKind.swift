/// What a request asked for, as the server classified it.
public enum RequestKind: String, Sendable, Hashable {
    case discovery, list, watch, get, create, update, patch, delete
    /// Anything else (health checks, unknown paths).
    case other
}

/// How bearer-token authentication went for a request.
public enum AuthOutcome: Sendable, Hashable {
    /// The server has no token configured.
    case notRequired
    case accepted
    /// Answered with 401.
    case rejected
}
