import Synchronization

/// Races work against a timeout. The timeout holds even when the work ignores cancellation:
/// when time runs out the work is cancelled and left running, detached, instead of awaited as a
/// task group would await it.
public enum DeadlineRace {
    /// The work's result, or nil when `timeout` passed first.
    public static func run<Value: Sendable>(
        within timeout: Duration, _ work: @escaping @Sendable () async -> Value
    ) async -> Value? {
        await withCheckedContinuation { continuation in
            let outcome = FirstOutcome(continuation)
            let task = Task { outcome.deliver(await work()) }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if outcome.deliver(nil) { task.cancel() }
            }
            outcome.onDelivery { timer.cancel() }
        }
    }
}

/// Resumes a continuation with whichever of two racing tasks finishes first.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private let state: Mutex<(continuation: CheckedContinuation<Value?, Never>?, cleanup: (@Sendable () -> Void)?)>

    init(_ continuation: CheckedContinuation<Value?, Never>) {
        state = Mutex((continuation, nil))
    }

    /// Returns true when this call was the first and resumed the continuation.
    @discardableResult
    func deliver(_ result: Value?) -> Bool {
        let (continuation, cleanup) = state.withLock { state in
            defer { state = (nil, nil) }
            return (state.continuation, state.cleanup)
        }
        guard let continuation else { return false }
        continuation.resume(returning: result)
        cleanup?()
        return true
    }

    /// Runs `cleanup` after delivery (at once if it already happened).
    func onDelivery(_ cleanup: @escaping @Sendable () -> Void) {
        let delivered = state.withLock { state in
            if state.continuation == nil { return true }
            state.cleanup = cleanup
            return false
        }
        if delivered { cleanup() }
    }
}
