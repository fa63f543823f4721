import Lua
import Synchronization

/// The benchmark's helper module for hooks, `bench`, registered through
/// `HookEnvironment(modules:)`:
/// - `bench.entered(sent_ns)`: a handler was entered for an event stamped at `sent_ns` (the
///   server child's monotonic clock, as a string); records now − sent.
/// - `bench.version(n)`: version n of a hook handled an event; the first time each n is seen
///   is reported to `onFirstCall`.
final class BenchProbe: Sendable {
    private let latencies = Mutex<[Int64]>([])
    private let versionsSeen = Mutex<Set<Int64>>([])
    private let onFirstCall: @Sendable (_ version: Int64, _ at: Int64) -> Void

    init(onFirstCall: @escaping @Sendable (_ version: Int64, _ at: Int64) -> Void = { _, _ in }) {
        self.onFirstCall = onFirstCall
    }

    /// The latencies recorded so far, in nanoseconds; clears them.
    func takeLatencies() -> [Int64] {
        latencies.withLock { latencies in
            defer { latencies.removeAll() }
            return latencies
        }
    }

    var module: LuaModule {
        LuaModule(name: "bench") { [self] state in
            state.newTable(fieldCapacity: 2)
            state.pushFunction(named: "bench.entered") { arguments in
                let now = MonotonicClock.nanoseconds()
                guard let sent = Int64(try arguments.string(at: 1)) else { throw arguments.invalid(1, "not a number of nanoseconds") }
                self.latencies.withLock { $0.append(now - sent) }
                return 0
            }
            state.setField("entered")
            state.pushFunction(named: "bench.version") { arguments in
                let now = MonotonicClock.nanoseconds()
                let version = try arguments.integer(at: 1)
                if self.versionsSeen.withLock({ $0.insert(version).inserted }) { self.onFirstCall(version, now) }
                return 0
            }
            state.setField("version")
        }
    }
}
