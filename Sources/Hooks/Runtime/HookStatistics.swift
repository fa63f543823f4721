import Synchronization

/// Counts of the handler calls all hooks of a runtime completed (what is still waiting is the
/// backlog ledger's).
public final class HookStatistics: Sendable {
    private let counts = Mutex(Counts())

    public struct Counts: Sendable, Equatable {
        /// Handler calls completed without error.
        public var succeeded = 0
        /// Handler calls that raised, were killed or ran out of memory.
        public var failed = 0
        /// Events finished without a call of their own: merged into another (debounce, supersede).
        public var merged = 0

        public init(succeeded: Int = 0, failed: Int = 0, merged: Int = 0) {
            self.succeeded = succeeded
            self.failed = failed
            self.merged = merged
        }
    }

    public init() {}

    public var snapshot: Counts { counts.withLock { $0 } }

    func merged(_ count: Int) {
        counts.withLock { $0.merged += count }
    }

    func handled(succeeded: Int, failed: Int) {
        guard succeeded + failed > 0 else { return }
        counts.withLock {
            $0.succeeded += succeeded
            $0.failed += failed
        }
    }
}
