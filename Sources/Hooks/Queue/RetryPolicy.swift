/// How a hook's failed handler calls are run again (`hook = { retry = {...} }`).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; after the last the event is given up.
    public var attempts: Int
    /// The first delay; each later one doubles, up to `max`, with jitter (see `delay`).
    public var initial: Duration
    public var max: Duration
    /// A newer event of the pod replaces an event waiting to be retried.
    public var supersede: Bool

    public init(attempts: Int = 5, initial: Duration = .seconds(1), max: Duration = .seconds(300), supersede: Bool = false) {
        self.attempts = attempts
        self.initial = initial
        self.max = max
        self.supersede = supersede
    }

    /// What `retry()` uses in a hook that declares no `retry` setting.
    public static let whenAsked = RetryPolicy()

    /// The wait before attempt `attempt + 1`, in nanoseconds: `initial · 2^(attempt-1)` capped at
    /// `max`, plus up to as much again (still capped), by `jitter` in [0, 1): spread so that pods
    /// failing together do not retry together.
    func delay(after attempt: Int, jitter: Double) -> UInt64 {
        let cap = max.nanoseconds
        let base = min(cap, initial.nanoseconds << UInt64(Swift.min(attempt - 1, 40)))
        let upper = min(cap, base.multipliedReportingOverflow(by: 2).overflow ? cap : base * 2)
        return base + UInt64(Double(upper - base) * jitter)
    }
}
