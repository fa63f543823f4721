/// Every request, in arrival order, and live streams of them so tests can await "the third
/// watch arrived" instead of sleeping.
final class RequestLog: Sendable {
    private struct State {
        var requests: [RecordedRequest] = []
        var ordinals: [RequestKind: Int] = [:]
        var listeners: [Int: AsyncStream<RecordedRequest>.Continuation] = [:]
        var nextListener = 0
        var finished = false
    }

    private let state = Locked(State())

    /// Numbers the request, stores it and hands it to the listeners.
    @discardableResult
    func record(_ make: (_ sequence: Int, _ ordinal: Int) -> RecordedRequest, kind: RequestKind) -> RecordedRequest {
        state.withLock { state in
            state.ordinals[kind, default: 0] += 1
            let request = make(state.requests.count + 1, state.ordinals[kind]!)
            state.requests.append(request)
            for listener in state.listeners.values { listener.yield(request) }
            return request
        }
    }

    var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// All requests so far, then each new one as it arrives; finishes at server shutdown.
    func stream() -> AsyncStream<RecordedRequest> {
        let (stream, continuation) = AsyncStream.makeStream(of: RecordedRequest.self)
        state.withLock { state in
            for request in state.requests { continuation.yield(request) }
            if state.finished {
                continuation.finish()
                return
            }
            let id = state.nextListener
            state.nextListener += 1
            state.listeners[id] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.listeners.removeValue(forKey: id) }
            }
        }
        return stream
    }

    func finish() {
        let listeners = state.withLock { state in
            state.finished = true
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        listeners.forEach { $0.finish() }
    }
}
