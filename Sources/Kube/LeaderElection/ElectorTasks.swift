import Synchronization

/// The elector's background work: the request in flight and the pending wake-up (a new
/// wake-up replaces the old one). Cancelled when the elector ends.
final class ElectorTasks: Sendable {
    private let tasks = Mutex<(request: Task<Void, Never>?, wake: Task<Void, Never>?)>((nil, nil))

    func replaceRequest(_ task: Task<Void, Never>) {
        tasks.withLock { $0.request = task }
    }

    func replaceWake(_ task: Task<Void, Never>) {
        let previous = tasks.withLock { tasks in
            defer { tasks.wake = task }
            return tasks.wake
        }
        previous?.cancel()
    }

    func cancelAll() {
        let (request, wake) = tasks.withLock { $0 }
        request?.cancel()
        wake?.cancel()
    }
}
