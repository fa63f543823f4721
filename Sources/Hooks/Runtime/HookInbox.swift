import Kube
import Synchronization

/// Events handed to a hook and not yet taken in by its Lua thread. Putting events in never waits
/// for the hook: the thread may be busy running a handler for up to its deadline, and the one
/// consumer that routes events to every hook must not wait on any of them.
final class HookInbox: Sendable {
    private let state = Mutex<(events: [PodEvent], takeScheduled: Bool)>(([], false))

    /// Adds events; returns true when the hook must be asked to take them in (no request to take
    /// is outstanding).
    func put(_ events: [PodEvent]) -> Bool {
        state.withLock { state in
            state.events.append(contentsOf: events)
            defer { state.takeScheduled = true }
            return !state.takeScheduled
        }
    }

    /// Takes every waiting event, in the order they were put in.
    func take() -> [PodEvent] {
        state.withLock { state in
            state.takeScheduled = false
            defer { state.events.removeAll() }
            return state.events
        }
    }
}
