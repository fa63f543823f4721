import Kube
import Synchronization

/// Events handed to a hook and not yet taken in by its worker, and when each batch of them came
/// (`kubelua_backlog_oldest_seconds`). Putting events in never waits for the hook: its thread may
/// be busy running a handler for up to its deadline, and the one consumer that routes events to
/// every hook must not wait on any of them.
final class HookInbox: Sendable {
    /// Events handed over together: each is counted finished against its batch.
    struct Batch {
        let id: Int
        var events: [PodEvent]
    }

    private struct State {
        var waiting: [Batch] = []
        /// A worker is running, or has been started: new events need no other.
        var workerActive = false
        /// When each batch not wholly handled came (`DispatchTime` nanoseconds) and how many of
        /// its events are left; the one at `oldest` is batch `oldestID`.
        var unfinished: [(since: UInt64, left: Int)] = []
        var oldest = 0
        var oldestID = 0
    }

    private let state = Mutex(State())

    /// Adds events that came at `now`; returns true when a worker must be started (none is active).
    func put(_ events: [PodEvent], at now: UInt64) -> Bool {
        state.withLock { state in
            state.waiting.append(Batch(id: state.oldestID + state.unfinished.count - state.oldest, events: events))
            state.unfinished.append((now, events.count))
            defer { state.workerActive = true }
            return !state.workerActive
        }
    }

    /// Takes every waiting batch, in the order they were put in; when there is none, the worker
    /// is done (nil), and the next `put` asks for a new one.
    func take() -> [Batch]? {
        state.withLock { state in
            if state.waiting.isEmpty {
                state.workerActive = false
                return nil
            }
            defer { state.waiting.removeAll() }
            return state.waiting
        }
    }

    /// One event of batch `id` has been handled.
    func finished(batch id: Int) {
        state.withLock { state in
            state.unfinished[state.oldest + id - state.oldestID].left -= 1
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
    }

    /// When the oldest event not yet handled came (`DispatchTime` nanoseconds); nil when none.
    var oldestUnfinished: UInt64? {
        state.withLock { $0.oldest < $0.unfinished.count ? $0.unfinished[$0.oldest].since : nil }
    }
}
