import Synchronization

/// The one count of work handed to consumers and not yet finished, and the bound on it
/// (`--max-backlog`). Each consumer holds an `Account`: it reserves what it is handed (a hook: one
/// per event it takes; `kubelua events`: one per event to print) and releases each once, when it
/// is finished or given up. Reflectors read the total: before reading a chunk of a watch they
/// wait while it is at the bound, so TCP flow control holds the server back and nothing is
/// dropped. A list is delivered whole (a partial one is never applied), so the total may pass
/// the bound once; the watch that follows then waits.
public final class BacklogLedger: Sendable {
    /// The most work outstanding before reflectors stop reading; nil: counted, never waited on.
    public let bound: Int?

    private struct State {
        var outstanding = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init(bound: Int?) {
        precondition(bound.map { $0 > 0 } ?? true, "a backlog bound must be positive")
        self.bound = bound
    }

    /// A new account for one consumer, named for metrics and logs.
    public func account(_ name: String) -> Account { Account(name: name, ledger: self) }

    /// Work reserved and not yet released, over every account.
    public var outstanding: Int { state.withLock { $0.outstanding } }

    /// Whether a reflector may read on.
    public var hasRoom: Bool {
        guard let bound else { return true }
        return outstanding < bound
    }

    fileprivate func add(_ count: Int) {
        state.withLock { $0.outstanding += count }
    }

    fileprivate func remove(_ count: Int) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.outstanding -= count
            guard !state.waiters.isEmpty, state.outstanding < bound ?? .max else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the total is below the bound, or the task is cancelled.
    public func waitForRoom() async {
        guard let bound else { return }
        let id = state.withLock { state -> Int? in
            guard state.outstanding >= bound else { return nil }
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.outstanding < bound || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// One consumer's part of the ledger: how much it holds (`kubelua_backlog_calls`) and when
    /// the oldest of it was handed over (`kubelua_backlog_oldest_seconds`). Work is reserved in
    /// batches, each stamped with the consumer's clock; releasing names the batch.
    public final class Account: Sendable {
        public let name: String
        private let ledger: BacklogLedger

        private struct State {
            var count = 0
            /// When each batch not wholly released came, and how much of it is left; the one
            /// at `oldest` is batch `oldestID`.
            var unfinished: [(since: UInt64, left: Int)] = []
            var oldest = 0
            var oldestID = 0
        }

        private let state = Mutex(State())

        fileprivate init(name: String, ledger: BacklogLedger) {
            self.name = name
            self.ledger = ledger
        }

        /// Reserves `count` units handed over at `now`; returns their batch, for `release`.
        public func reserve(_ count: Int, at now: UInt64) -> Int {
            ledger.add(count)
            return state.withLock { state in
                state.count += count
                state.unfinished.append((now, count))
                return state.oldestID + state.unfinished.count - 1 - state.oldest
            }
        }

        /// Releases `count` units of batch `batch`.
        public func release(batch: Int, count: Int = 1) {
            state.withLock { state in
                state.count -= count
                state.unfinished[state.oldest + batch - state.oldestID].left -= count
                while state.oldest < state.unfinished.count, state.unfinished[state.oldest].left == 0 {
                    state.oldest += 1
                    state.oldestID += 1
                }
                // Drop the finished head when nothing is left, or now and then, not on every batch.
                if state.oldest == state.unfinished.count {
                    state.unfinished.removeAll(keepingCapacity: true)
                    state.oldest = 0
                } else if state.oldest >= 1024 {
                    state.unfinished.removeFirst(state.oldest)
                    state.oldest = 0
                }
            }
            ledger.remove(count)
        }

        /// Releases `count` units of the oldest batches (a consumer that finishes in the order it was handed work).
        public func releaseOldest(_ count: Int) {
            var left = count
            while left > 0 {
                let (batch, inBatch) = state.withLock { ($0.oldestID, $0.unfinished[$0.oldest].left) }
                let now = min(left, inBatch)
                release(batch: batch, count: now)
                left -= now
            }
        }

        /// Whether batch `batch` and every batch reserved before it have been wholly released.
        public func hasReleased(through batch: Int) -> Bool {
            state.withLock { $0.oldest == $0.unfinished.count || batch < $0.oldestID }
        }

        /// Units reserved and not released.
        public var count: Int { state.withLock { $0.count } }

        /// When the oldest unit not yet released was handed over; nil when none.
        public var oldestSince: UInt64? {
            state.withLock { $0.oldest < $0.unfinished.count ? $0.unfinished[$0.oldest].since : nil }
        }
    }
}
