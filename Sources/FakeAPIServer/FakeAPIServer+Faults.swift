/// Fault injection: `server.inject(.resetAfter(events: 2), on: .watch, .nth(3))` makes the
/// third watch reset after two events.
extension FakeAPIServer {
    /// Queues a fault; returns its id. When several match a request, the oldest wins.
    @discardableResult
    public func inject(_ action: FaultAction, on target: FaultTarget, _ schedule: FaultSchedule = .next) -> Int {
        core.faults.add(action, on: target, schedule)
    }

    public func removeFault(_ id: Int) {
        core.faults.remove(id)
    }

    public func removeAllFaults() {
        core.faults.removeAll()
    }

    /// Faults not yet used up.
    public var pendingFaults: [Fault] { core.faults.pending }
}
