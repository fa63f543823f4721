/// What a reflector tells monitoring about its own work, apart from the pods it delivers: each
/// list that rebuilds its part of the cache and why, each watch opened again without a list and
/// why, each list or watch request that failed and why, and each complete list applied. Reports go straight to an observer, not through the
/// consumer's backlog, so they stay current while consumers lag.
public enum ReflectorReport: Sendable, Equatable {
    /// A list begins (possibly after a wait) that will replace the query's part of the cache.
    case relisting(RelistReason)
    /// The watch is opened again (possibly after a wait) from the last resource version, without a list.
    case rewatching(RewatchReason)
    /// A complete list has been applied to the cache: the first one and every relist.
    case listed
    /// A list or watch request failed (it is retried). `reason` is the API's (`Forbidden`,
    /// `Expired`, or the code when the Status names none), or `unreachable` (no answer), or
    /// `malformed`: the `reason` label of `kubelua_watch_request_failures_total`.
    case requestFailed(ReflectorRequest, reason: String)
}

/// The requests a reflector makes; the raw values are the `request` label of
/// `kubelua_watch_request_failures_total`.
public enum ReflectorRequest: String, Sendable {
    case list, watch
}

extension KubeRequestFailure {
    /// A short, bounded name of the failure for metric labels.
    var reportReason: String {
        switch self {
        case .status(let status): status.reason.isEmpty ? String(status.code) : status.reason
        case .transport: "unreachable"
        case .malformed: "malformed"
        }
    }
}

/// Why a reflector lists. The raw values are the `reason` label of `kubelua_relists_total`.
public enum RelistReason: String, Sendable {
    /// The informer's first watches.
    case start
    /// A watch started later, because the queries changed (a namespace folder came).
    case queriesChanged = "queries_changed"
    /// The watch was restarted because what its cache keeps of each pod widened (a hook now
    /// reads more): its pods are read anew.
    case projectionWidened = "projection_widened"
    /// The server no longer has the watch's resource version (410 Expired or Gone).
    case gone
    /// The watch failed in a way only a relist repairs: an error status or event other than 410
    /// or 429, a frame that is not a valid event, a watch that ended at once without any event.
    case error
}

/// Why a reflector watches again without listing. The raw values are the `reason` label of
/// `kubelua_watch_restarts_total`.
public enum RewatchReason: String, Sendable {
    /// The server ended the watch (at its timeout, or a reset or idle connection, after events or time).
    case closed
    /// The watch request failed without invalidating the cache (no connection, 429, 401): retried after backoff.
    case error
}

/// Where a reflector sends its reports, with the query they are about; must not block.
public typealias ReflectorObserver = @Sendable (PodQuery, ReflectorReport) -> Void
