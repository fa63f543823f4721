import Synchronization

/// A client-side rate limit for API calls, as client-go's: `qps` tokens a second, at most `burst`
/// saved up. A caller that finds none reserves the next one and waits for it, so waiting callers
/// are served in order. Time and waiting go through `now` and `sleep`, so tests control them.
public final class TokenBucket: Sendable {
    public let qps: Double
    public let burst: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void
    private let state: Mutex<(tokens: Double, at: ContinuousClock.Instant)>

    public init(
        qps: Double = 5, burst: Int = 10, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        precondition(qps > 0 && burst > 0, "a token bucket needs a positive rate and burst")
        self.qps = qps
        self.burst = burst
        self.now = now
        self.sleep = sleep
        state = Mutex((Double(burst), now()))
    }

    /// Takes a token, waiting for one when there is none. Cancelled while waiting, the reserved
    /// token is given back and the error thrown.
    public func acquire() async throws {
        let wait = state.withLock { state -> Duration in
            let instant = now()
            let elapsed = state.at.duration(to: instant)
            state.tokens = min(Double(burst), state.tokens + qps * Double(elapsed.components.seconds) + qps * Double(elapsed.components.attoseconds) / 1e18)
            state.at = instant
            state.tokens -= 1
            return state.tokens >= 0 ? .zero : .seconds(-state.tokens / qps)
        }
        guard wait > .zero else { return }
        do {
            try await sleep(wait)
        } catch {
            state.withLock { $0.tokens += 1 }
            throw error
        }
    }
}
