import Synchronization
import Testing
@testable import Kube

/// The client-side rate limit of API calls, on a clock the test moves.
@Suite struct TokenBucketTests {
    /// A clock that moves only when the bucket asks to sleep (and by exactly that much).
    final class ManualClock: Sendable {
        let state = Mutex<(now: ContinuousClock.Instant, slept: [Duration])>((.now, []))
        var now: ContinuousClock.Instant { state.withLock { $0.now } }
        var slept: [Duration] { state.withLock { $0.slept } }
        func advance(_ duration: Duration) { state.withLock { $0.now += duration } }
        func sleep(_ duration: Duration) { state.withLock { $0.now += duration; $0.slept.append(duration) } }
    }

    @Test func aBurstPassesThenCallsArePacedAtTheRate() async throws {
        let clock = ManualClock()
        let bucket = TokenBucket(qps: 5, burst: 3, now: { clock.now }, sleep: { clock.sleep($0) })
        for _ in 0..<3 { try await bucket.acquire() }
        #expect(clock.slept.isEmpty)
        try await bucket.acquire()
        try await bucket.acquire()
        #expect(clock.slept == [.milliseconds(200), .milliseconds(200)])

        // Idle time refills up to the burst, never past it.
        clock.advance(.seconds(10))
        for _ in 0..<3 { try await bucket.acquire() }
        #expect(clock.slept.count == 2)
        try await bucket.acquire()
        #expect(clock.slept.count == 3)
    }

    @Test func aCancelledWaitGivesItsTokenBack() async throws {
        let clock = ManualClock()
        let bucket = TokenBucket(qps: 1, burst: 1, now: { clock.now }, sleep: { _ in throw CancellationError() })
        try await bucket.acquire()
        await #expect(throws: CancellationError.self) { try await bucket.acquire() }
        await #expect(throws: CancellationError.self) { try await bucket.acquire() }
        // Both refused waits gave their reservations back: a second later a token is there, so
        // no wait (which would throw) is needed.
        clock.advance(.seconds(1))
        try await bucket.acquire()
    }
}
