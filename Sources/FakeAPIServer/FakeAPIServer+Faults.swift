/// Fault injection: `server.inject(.resetAfter(events: 2), on: .watch, .nth(3))` makes the
/// third watch reset after two events.
extension FakeAPIServer {
    /// Queues a fault; returns its id. When several match a request, the oldest wins.
    @discardableResult
    public func inject(_ action: FaultAction, on target: FaultTarget, _ schedule: FaultSchedule = .next) -> Int {
        core.faults.add(action, on: target, schedule)
    }

    /// Cuts one client off, as a network partition between it and the server would: its open
    /// connections (watches included) are closed, and every request it sends from now on is
    /// reset without an answer, until `removeFault` is given the id returned. The client is
    /// told apart by its bearer token (`FaultTarget.client`).
    @discardableResult
    public func cutOff(bearerToken: String) async -> Int {
        let id = inject(.resetAfter(events: 0), on: .client(bearerToken: bearerToken), .always)
        await core.channels.close(client: bearerToken)
        return id
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
