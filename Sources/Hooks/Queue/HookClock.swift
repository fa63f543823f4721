import Foundation
import Synchronization

/// The clock a hook's queue reads and sleeps on: nanoseconds on a monotonic scale. Retries,
/// debounce windows and the backlog's age read it, so tests and `replay` move time themselves.
public protocol HookClock: Sendable {
    var now: UInt64 { get }
    /// The wall-clock time at `now`, in Unix seconds: what schedules and `os.time()` read.
    var wallSeconds: Double { get }
    /// Returns once the clock has reached `deadline` (at once if it has), or throws when cancelled.
    func sleep(until deadline: UInt64) async throws
}

/// The process's monotonic clock (`DispatchTime`), the one `kubelua run` uses.
public struct SystemHookClock: HookClock {
    public init() {}

    public var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    public var wallSeconds: Double { Date().timeIntervalSince1970 }

    public func sleep(until deadline: UInt64) async throws {
        let now = now
        if deadline > now { try await Task.sleep(nanoseconds: deadline - now) }
    }
}

/// A clock that moves only when told (`advance`): `replay` and tests. Sleepers wake in deadline
/// order as it passes them.
public final class VirtualClock: HookClock {
    private struct Sleeper {
        let deadline: UInt64
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: UInt64
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>
    private let start: UInt64
    /// The wall-clock time at `start`, in Unix seconds.
    public let wallStart: Double

    /// Where a virtual clock starts when nobody says: 2026-01-01T00:00:00Z, so the same
    /// recording prints the same lines on any day.
    public static let defaultWallStart: Double = 1_767_225_600

    public init(now: UInt64 = 1_000_000_000, wallStart: Double = VirtualClock.defaultWallStart) {
        state = Mutex(State(now: now))
        start = now
        self.wallStart = wallStart
    }

    public var now: UInt64 { state.withLock { $0.now } }

    public var wallSeconds: Double { wallStart + Double(now - start) / 1e9 }

    /// The earliest deadline someone sleeps until; nil when nobody sleeps.
    public var nextDeadline: UInt64? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Moves the clock to `instant` (never back) and wakes, in deadline order, every sleeper it passed.
    public func advance(to instant: UInt64) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, instant)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    public func advance(by duration: Duration) {
        advance(to: now + duration.nanoseconds)
    }

    public func sleep(until deadline: UInt64) async throws {
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> Bool in
                    if deadline <= state.now { return true }
                    state.sleepers.append(Sleeper(deadline: deadline, id: id, continuation: continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}

extension Duration {
    /// Whole nanoseconds, for the hook clock's scale (negative durations count as zero).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
