/// An append-only log that tests read whole or follow: a stream replays what is logged and then
/// yields each new entry, so a test awaits "the third watch arrived" or "the lease changed
/// hands" instead of sleeping. Streams finish when the server shuts down.
final class ReplayingLog<Entry: Sendable>: Sendable {
    private struct State {
        var entries: [Entry] = []
        var listeners: [Int: AsyncStream<Entry>.Continuation] = [:]
        var nextListener = 0
        var finished = false
    }

    private let state = Locked(State())

    /// Appends the entry `make` builds from the count logged before it (under the log's lock,
    /// so entries are numbered in the order they are appended), and hands it to the streams.
    @discardableResult
    func append(_ make: (_ countBefore: Int) -> Entry) -> Entry {
        state.withLock { state in
            let entry = make(state.entries.count)
            state.entries.append(entry)
            for listener in state.listeners.values { listener.yield(entry) }
            return entry
        }
    }

    var entries: [Entry] { state.withLock { $0.entries } }

    /// Every entry so far, then each new one as it is appended; finishes at `finish()`.
    func stream() -> AsyncStream<Entry> {
        let (stream, continuation) = AsyncStream.makeStream(of: Entry.self)
        state.withLock { state in
            for entry in state.entries { continuation.yield(entry) }
            if state.finished {
                continuation.finish()
                return
            }
            let id = state.nextListener
            state.nextListener += 1
            state.listeners[id] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.listeners.removeValue(forKey: id) }
            }
        }
        return stream
    }

    func finish() {
        let listeners = state.withLock { state in
            state.finished = true
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        listeners.forEach { $0.finish() }
    }
}
