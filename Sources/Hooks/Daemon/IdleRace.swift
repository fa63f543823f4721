import Synchronization

/// Waits for a runtime to go idle, or for a timeout, whichever comes first. Waiting for
/// idleness cannot be cancelled (a handler may be waiting on http), so when the timeout wins
/// that wait is left behind instead of awaited, as a task group would.
final class IdleRace: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    private init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// True when the runtime went idle within `timeout`.
    static func runtime(_ runtime: HookRuntime, isIdleWithin timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let race = IdleRace(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                race.finish(idle: false)
            }
            Task {
                await runtime.waitUntilIdle()
                race.finish(idle: true)
                timer.cancel()
            }
        }
    }

    private func finish(idle: Bool) {
        continuation.withLock { $0.take() }?.resume(returning: idle)
    }
}
