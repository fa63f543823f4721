/// The pending faults and the per-target request counters that `.nth` refers to.
final class FaultBook: Sendable {
    private struct State {
        var faults: [Fault] = []
        var counts: [FaultTarget: Int] = [:]
        var nextID = 1
    }

    private let state = Locked(State())

    @discardableResult
    func add(_ action: FaultAction, on target: FaultTarget, _ schedule: FaultSchedule) -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.faults.append(Fault(id: id, action: action, target: target, schedule: schedule))
            return id
        }
    }

    func remove(_ id: Int) {
        state.withLock { $0.faults.removeAll { $0.id == id } }
    }

    func removeAll() {
        state.withLock { $0.faults.removeAll() }
    }

    var pending: [Fault] { state.withLock { $0.faults } }

    /// Counts the request against each target it matches and returns the first fault (in
    /// injection order) that fires for it, consuming it unless it is `.always`. A request that
    /// is refused anyway (401, 403) is counted but gets no fault.
    func take(kind: RequestKind, page: Int?, request: RequestInfo? = nil, bearerToken: String? = nil, eligible: Bool = true) -> FaultAction? {
        let targets = FaultTarget.targets(kind: kind, page: page, request: request, bearerToken: bearerToken)
        return state.withLock { state in
            for target in targets { state.counts[target, default: 0] += 1 }
            guard eligible else { return nil }
            for (index, fault) in state.faults.enumerated() {
                guard let ordinal = state.counts[fault.target], targets.contains(fault.target) else { continue }
                switch fault.schedule {
                case .next:
                    state.faults.remove(at: index)
                case .times(let n):
                    if n <= 1 { state.faults.remove(at: index) } else { state.faults[index].schedule = .times(n - 1) }
                case .nth(let n):
                    guard ordinal == n else { continue }
                    state.faults.remove(at: index)
                case .always:
                    break
                }
                return fault.action
            }
            return nil
        }
    }
}
