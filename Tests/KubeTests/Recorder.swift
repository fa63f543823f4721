import Foundation

/// Values other tasks hand in, kept in order, with a way to wait for what a test expects
/// instead of sleeping. A wait whose task is cancelled (a test's time limit) returns what
/// there is, so the test fails on its expectations rather than hanging.
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private struct Waiter {
        let ready: @Sendable ([Element]) -> Bool
        let continuation: CheckedContinuation<[Element], Never>
    }

    private let lock = NSLock()
    private var elements: [Element] = []
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiter = 0

    var all: [Element] { lock.withLock { elements } }

    func append(_ element: Element) {
        let resumed = lock.withLock { () -> [(CheckedContinuation<[Element], Never>, [Element])] in
            elements.append(element)
            let due = waiters.filter { $0.value.ready(elements) }
            for id in due.keys { waiters[id] = nil }
            return due.values.map { ($0.continuation, elements) }
        }
        for (continuation, snapshot) in resumed { continuation.resume(returning: snapshot) }
    }

    /// Waits until `ready` holds for the elements so far; returns them.
    @discardableResult
    func wait(until ready: @escaping @Sendable ([Element]) -> Bool) async -> [Element] {
        let id = lock.withLock { () -> Int in
            defer { nextWaiter += 1 }
            return nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate = lock.withLock { () -> [Element]? in
                    if ready(elements) || Task.isCancelled { return elements }
                    waiters[id] = Waiter(ready: ready, continuation: continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let cancelled = lock.withLock { () -> (Waiter, [Element])? in
                guard let waiter = waiters.removeValue(forKey: id) else { return nil }
                return (waiter, elements)
            }
            if let (waiter, snapshot) = cancelled { waiter.continuation.resume(returning: snapshot) }
        }
    }

    /// Waits for at least `count` elements.
    @discardableResult
    func wait(count: Int) async -> [Element] {
        await wait { $0.count >= count }
    }
}
