/// Delay between failed list/watch rounds: starts at `initial`, doubles up to `maximum`, with
/// full jitter (a delay d becomes d + random·d), and starts over after `resetAfter` without a
/// failure. Time and randomness are passed in, so tests are deterministic.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var resetAfter: Duration
    private var current: Duration?
    private var lastFailure: ContinuousClock.Instant?

    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), resetAfter: Duration = .seconds(120)) {
        self.initial = initial
        self.maximum = maximum
        self.resetAfter = resetAfter
    }

    /// Records a failure at `now` and returns how long to wait before the next attempt.
    public mutating func nextDelay(now: ContinuousClock.Instant, random: Double) -> Duration {
        if let lastFailure, now - lastFailure >= resetAfter { current = nil }
        let base = current.map { min($0 * 2, maximum) } ?? initial
        current = base
        lastFailure = now
        return base + base * min(max(random, 0), 1)
    }
}
