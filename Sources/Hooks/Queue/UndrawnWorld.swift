import Kube

/// A world handed to a hook version (`HookQueue.handOverWorld`) whose initial adds have not all
/// joined the queue's lines yet: the pods sorted by key, drawn in that order as the worker takes
/// calls, or one ahead of its turn when something else of that pod comes first (its add must
/// precede it). The array is the snapshot the runtime took, shared, not a line per pod.
struct UndrawnWorld: Sendable {
    /// One record per pod, sorted by key.
    private let pods: [PodRecord]
    /// `pods[..<next]` are drawn; `pods[next]`, if any, is not.
    private var next = 0
    /// Positions past `next` drawn ahead of their turn.
    private var drawnAhead: Set<Int> = []
    /// The ledger batch the world was reserved in, one unit per pod.
    let batch: Int

    init(_ pods: [PodRecord], batch: Int) {
        // The runtime's snapshot comes sorted; any other list is sorted once here.
        self.pods = zip(pods, pods.dropFirst()).allSatisfy { $0.key < $1.key } ? pods : pods.sorted { $0.key < $1.key }
        self.batch = batch
    }

    /// Pods not drawn yet.
    var count: Int { pods.count - next - drawnAhead.count }

    var isEmpty: Bool { next == pods.count }

    /// The next pod's initial add in turn. The world must not be empty.
    mutating func drawNext() -> QueuedEvent {
        let pod = pods[next]
        advance()
        return initialAdd(pod)
    }

    /// `pod`'s initial add, if this world holds it and it is not drawn yet.
    mutating func draw(_ pod: PodKey) -> QueuedEvent? {
        var low = next, high = pods.count
        while low < high {
            let middle = (low + high) / 2
            if pods[middle].key < pod { low = middle + 1 } else { high = middle }
        }
        guard low < pods.count, pods[low].key == pod, !drawnAhead.contains(low) else { return nil }
        if low == next { advance() } else { drawnAhead.insert(low) }
        return initialAdd(pods[low])
    }

    /// Moves past `next` and the positions after it already drawn ahead.
    private mutating func advance() {
        next += 1
        while next < pods.count, drawnAhead.remove(next) != nil { next += 1 }
    }

    private func initialAdd(_ pod: PodRecord) -> QueuedEvent {
        QueuedEvent(.add(pod, initial: true, at: pod.resourceVersion), batch: batch)
    }
}
