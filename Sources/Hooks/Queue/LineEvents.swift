/// A pod's queued events, head first. Most lines hold one event at a time, so the head is kept
/// inline and only the events behind it go in an array: a line costs no allocation until a
/// second event queues behind the first.
public struct LineEvents: Sendable {
    private var head: QueuedEvent
    private var behind: [QueuedEvent] = []

    init(_ head: QueuedEvent) {
        self.head = head
    }

    public var count: Int { 1 + behind.count }

    var indices: Range<Int> { 0..<count }

    subscript(position: Int) -> QueuedEvent {
        get { position == 0 ? head : behind[position - 1] }
        set {
            if position == 0 { head = newValue } else { behind[position - 1] = newValue }
        }
    }

    /// The events behind the head.
    var rest: [QueuedEvent] { behind }

    mutating func append(_ event: QueuedEvent) {
        behind.append(event)
    }

    /// Removes the head; returns its ledger batch and whether events remain (if not, the line
    /// is empty and goes).
    mutating func removeHead() -> (batch: Int, remaining: Bool) {
        let batch = head.batch
        guard !behind.isEmpty else { return (batch, false) }
        head = behind.removeFirst()
        return (batch, true)
    }

    /// Drops every event behind the head.
    mutating func removeRest() {
        behind.removeAll()
    }
}
