import Synchronization

/// Whether an elector may take (and keep) its lease: `ShardMembership` sets it, the running
/// elector hears each change as an input. Set before the elector runs, it is where it starts.
final class ElectorWillingness: Sendable {
    private let state: Mutex<(willing: Bool, listener: (@Sendable (Bool) -> Void)?)>

    init(_ willing: Bool) {
        state = Mutex((willing, nil))
    }

    /// Sets it; when that changes it, `announce` runs first, then the elector hears of it.
    func set(_ willing: Bool, announce: () -> Void) {
        let (changed, listener) = state.withLock { state -> (Bool, (@Sendable (Bool) -> Void)?) in
            guard state.willing != willing else { return (false, nil) }
            state.willing = willing
            return (true, state.listener)
        }
        guard changed else { return }
        announce()
        listener?(willing)
    }

    /// Calls `listener` with each change from now on; returns the value now.
    func listen(_ listener: @escaping @Sendable (Bool) -> Void) -> Bool {
        state.withLock { state in
            state.listener = listener
            return state.willing
        }
    }
}
