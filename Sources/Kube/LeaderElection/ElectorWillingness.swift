import Synchronization

/// Whether an elector may take (and keep) its lease: `ShardMembership` sets it, the running
/// elector hears each change as an input. Set before the elector runs, it is where it starts.
final class ElectorWillingness: Sendable {
    private let state: Mutex<(willing: Bool, listener: (@Sendable (Bool) -> Void)?)>

    init(_ willing: Bool) {
        state = Mutex((willing, nil))
    }

    func set(_ willing: Bool) {
        let listener = state.withLock { state -> (@Sendable (Bool) -> Void)? in
            guard state.willing != willing else { return nil }
            state.willing = willing
            return state.listener
        }
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
