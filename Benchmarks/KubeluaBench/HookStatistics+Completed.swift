import Hooks

extension HookStatistics {
    /// Events finished since the runtime started: handled, with or without error, or merged
    /// into another (debounce).
    var completed: Int {
        let counts = snapshot
        return counts.succeeded + counts.failed + counts.merged
    }

    /// Returns once `calls` handler calls have completed (polled every millisecond: the
    /// statistics have no waiters).
    func waitUntilCompleted(_ calls: Int) async {
        while completed < calls { try? await Task.sleep(for: .milliseconds(1)) }
    }
}
