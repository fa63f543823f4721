extension ReflectorStateMachine {
    /// An event arrived on the watch: applied to `cache`.
    /// The watch goes on unless the actions include one that `beginsStep`.
    public mutating func watchEventReceived(_ event: WatchEvent, cache: inout PodStore) -> [Action] {
        guard case .watching = phase else { return misuse("watchEventReceived") }
        switch event {
        case .added(let pod), .modified(let pod), .deleted(let pod):
            let warning = noticeMissingMetadata(in: [pod])
            if pod.isVersioned { lastResourceVersion = pod.resourceVersion }
            let events = cache.apply(event)
            return warning + (events.isEmpty ? [] : [.deliver(events)])
        case .bookmark(let resourceVersion):
            lastResourceVersion = resourceVersion
            return []
        case .error(let status):
            return watchRefused(status)
        }
    }

    /// A frame that is not a valid event (garbage, unknown type): the stream cannot be trusted.
    public mutating func watchEventMalformed(_ reason: String) -> [Action] {
        guard case .watching = phase else { return misuse("watchEventMalformed") }
        return [.report(.relisting(.error)), retry(.list(relistRequest))]
    }

    /// The watch request itself failed (an HTTP error status, or no connection).
    public mutating func watchFailed(_ failure: Failure) -> [Action] {
        guard case .watching = phase else { return misuse("watchFailed") }
        switch failure {
        case .status(let status): return watchRefused(status)
        case .transport, .malformed: return [.report(.rewatching(.error)), retry(.watch(rewatchRequest))]
        }
    }

    /// The stream ended (closed by the server at its timeout, reset, or idle too long). A watch
    /// that ended within a second without any event counts as a failure.
    public mutating func watchEnded(eventCount: Int, after duration: Duration) -> [Action] {
        guard case .watching = phase else { return misuse("watchEnded") }
        if eventCount == 0 && duration < .seconds(1) { return [.report(.relisting(.error)), retry(.list(relistRequest))] }
        return [.report(.rewatching(.closed)), startWatch()]
    }

    /// The watch being read again, from where the events that did arrive left the cache.
    private var rewatchRequest: WatchRequest {
        guard case .watching(let request) = phase else { preconditionFailure("only asked while watching") }
        return WatchRequest(resourceVersion: lastResourceVersion ?? request.resourceVersion, timeoutSeconds: request.timeoutSeconds)
    }

    /// Always begins the next step: the watch is over.
    private mutating func watchRefused(_ status: APIStatus) -> [Action] {
        switch status.code {
        case 410:
            let relist = relistRequest
            phase = .listing(relist, items: [])
            return [.report(.relisting(.gone)), .list(relist)]
        case 429:
            return [.report(.rewatching(.error)), retry(.watch(rewatchRequest), retryAfterSeconds: status.retryAfterSeconds)]
        case 401:
            return [.refreshCredentials, .report(.rewatching(.error)), retry(.watch(rewatchRequest))]
        case _ where status.isTooLargeResourceVersion:
            return [.report(.relisting(.error)), retry(.list(ListRequest(resourceVersion: "", continueToken: nil, limit: pageSize)))]
        default:
            return [.report(.relisting(.error)), retry(.list(relistRequest))]
        }
    }
}
