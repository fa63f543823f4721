import Hooks

extension HookStatistics {
    /// Handler calls completed, with or without error, since the runtime started.
    var completed: Int {
        let counts = snapshot
        return counts.succeeded + counts.failed
    }

    /// Returns once `calls` handler calls have completed (polled every millisecond: the
    /// statistics have no waiters).
    func waitUntilCompleted(_ calls: Int) async {
        while completed < calls { try? await Task.sleep(for: .milliseconds(1)) }
    }
}
