import Synchronization

/// Counters shared by all hooks of a runtime: what ran, what failed, what is waiting.
public final class HookStatistics: Sendable {
    private let counts = Mutex(Counts())

    public struct Counts: Sendable, Equatable {
        /// Handler calls completed without error.
        public var succeeded = 0
        /// Handler calls that raised, were killed or ran out of memory.
        public var failed = 0
        /// Events queued for hooks and not yet handled: the backlog.
        public var queued = 0
        /// Events whose handlers are running now (waits on helpers included).
        public var running = 0

        public init(succeeded: Int = 0, failed: Int = 0, queued: Int = 0, running: Int = 0) {
            self.succeeded = succeeded
            self.failed = failed
            self.queued = queued
            self.running = running
        }
    }

    public init() {}

    public var snapshot: Counts { counts.withLock { $0 } }

    func queued(_ count: Int) { counts.withLock { $0.queued += count } }
    func started() { counts.withLock { $0.running += 1 } }
    func handled(failed: Bool) {
        counts.withLock {
            $0.queued -= 1
            $0.running -= 1
            if failed { $0.failed += 1 } else { $0.succeeded += 1 }
        }
    }
}
