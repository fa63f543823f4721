/// Every request, in arrival order, numbered overall and per kind.
final class RequestLog: Sendable {
    private let log = ReplayingLog<RecordedRequest>()
    private let ordinals = Locked<[RequestKind: Int]>([:])

    /// Numbers the request, stores it and hands it to the streams.
    @discardableResult
    func record(_ make: (_ sequence: Int, _ ordinal: Int) -> RecordedRequest, kind: RequestKind) -> RecordedRequest {
        log.append { countBefore in
            let ordinal = ordinals.withLock { ordinals in
                ordinals[kind, default: 0] += 1
                return ordinals[kind]!
            }
            return make(countBefore + 1, ordinal)
        }
    }

    var requests: [RecordedRequest] { log.entries }

    /// All requests so far, then each new one as it arrives; finishes at server shutdown.
    func stream() -> AsyncStream<RecordedRequest> {
        log.stream()
    }

    func finish() {
        log.finish()
    }
}
