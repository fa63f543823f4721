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

    /// Removes the head; nil when it was the only event (the line is then empty and goes).
    mutating func removeHead() -> (removed: QueuedEvent, remaining: Bool) {
        let removed = head
        guard !behind.isEmpty else { return (removed, false) }
        head = behind.removeFirst()
        return (removed, true)
    }

    /// Drops every event behind the head.
    mutating func removeRest() {
        behind.removeAll()
    }
}
