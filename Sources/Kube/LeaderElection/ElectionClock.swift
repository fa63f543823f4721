import Foundation

/// The clock the elector reads and sleeps on: monotonic nanoseconds for waits and deadlines,
/// and the wall clock for the times written into the lease. `kubelua run` uses the system's;
/// tests move a virtual one.
public struct ElectionClock: Sendable {
    public var now: @Sendable () -> UInt64
    public var wallSeconds: @Sendable () -> Double
    /// Returns once the clock has reached the instant, or throws when cancelled.
    public var sleep: @Sendable (UInt64) async throws -> Void

    public init(now: @escaping @Sendable () -> UInt64, wallSeconds: @escaping @Sendable () -> Double, sleep: @escaping @Sendable (UInt64) async throws -> Void) {
        self.now = now
        self.wallSeconds = wallSeconds
        self.sleep = sleep
    }

    /// `DispatchTime`'s monotonic scale, the one the hooks' clock uses in `kubelua run`.
    public static let system = ElectionClock(
        now: { DispatchTime.now().uptimeNanoseconds }, wallSeconds: { Date().timeIntervalSince1970 },
        sleep: { deadline in
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline > now { try await Task.sleep(nanoseconds: deadline - now) }
        })
}
