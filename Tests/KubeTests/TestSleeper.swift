import Foundation

/// The reflector's clock in tests. Every delay is recorded and then returns at once, so
/// backoffs cost nothing; or, when `holding`, waits until the test calls `release()`, so a
/// test can change the cluster while the reflector is backing off.
final class TestSleeper: @unchecked Sendable {
    let holding: Bool
    /// The delays asked for, in order.
    let delays = Recorder<Duration>()
    private let onSleep: @Sendable (Duration) -> Void
    private let lock = NSLock()
    private var permits = 0
    private var held: [Int: CheckedContinuation<Void, any Error>] = [:]
    private var nextHeld = 0

    init(holding: Bool = false, onSleep: @escaping @Sendable (Duration) -> Void = { _ in }) {
        self.holding = holding
        self.onSleep = onSleep
    }

    func sleep(_ delay: Duration) async throws {
        try Task.checkCancellation()
        onSleep(delay)
        delays.append(delay)
        if holding { try await waitForPermit() }
        // Even an instant backoff lets other tasks run, as a real one would.
        await Task.yield()
        try Task.checkCancellation()
    }

    /// Lets one held sleep (the current one, or the next) finish.
    func release() {
        let waiter = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            guard let first = held.keys.min() else {
                permits += 1
                return nil
            }
            return held.removeValue(forKey: first)
        }
        waiter?.resume()
    }

    private func waitForPermit() async throws {
        let id = lock.withLock { () -> Int in
            defer { nextHeld += 1 }
            return nextHeld
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = lock.withLock { () -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if permits > 0 {
                        permits -= 1
                        return .success(())
                    }
                    held[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            lock.withLock { held.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }
}
