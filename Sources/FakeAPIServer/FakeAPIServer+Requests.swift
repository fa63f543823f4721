/// The request log, for assertions and for waiting on the client without sleeping.
extension FakeAPIServer {
    /// Every request so far, in arrival order.
    public var requests: [RecordedRequest] { core.log.requests }

    /// Every request so far, then each new one as it arrives; finishes at shutdown.
    public func requestStream() -> AsyncStream<RecordedRequest> {
        core.log.stream()
    }

    /// Waits for the Nth request of a kind (1-based, counted since start), e.g. the third
    /// watch. Returns nil if the server shuts down first.
    public func waitForRequest(_ kind: RequestKind, ordinal: Int = 1) async -> RecordedRequest? {
        for await request in requestStream() where request.kind == kind && request.ordinal >= ordinal {
            return request
        }
        return nil
    }

    /// Waits for the first request (past or future) satisfying `predicate`.
    public func waitForRequest(where predicate: (RecordedRequest) -> Bool) async -> RecordedRequest? {
        for await request in requestStream() where predicate(request) {
            return request
        }
        return nil
    }
}
