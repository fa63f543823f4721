/// The window of recent changes. Everything after `compactedThrough` is kept; older resource
/// versions are gone, as after an etcd compaction: watches and continue tokens from before it
/// get 410 Expired.
struct History {
    private(set) var events: [HistoryEvent] = []
    /// Index of the oldest live event in `events`; dropped events are removed in batches.
    private var head = 0
    var limit = 10_000
    var compactedThrough: UInt64 = 0

    var count: Int { events.count - head }

    /// Appends and trims to `limit`; returns the new event's index for `subscript`.
    mutating func append(_ event: HistoryEvent) -> Int {
        events.append(event)
        if count > limit { drop(count - limit) }
        return events.count - 1
    }

    subscript(index: Int) -> HistoryEvent {
        get { events[index] }
        set { events[index] = newValue }
    }

    /// Forgets every event at or before `resourceVersion`.
    mutating func compact(through resourceVersion: UInt64) {
        compactedThrough = max(compactedThrough, resourceVersion)
        let keep = firstIndex(after: compactedThrough)
        drop(keep - head)
    }

    /// Whether everything after `resourceVersion` is still known.
    func covers(_ resourceVersion: UInt64) -> Bool {
        resourceVersion >= compactedThrough
    }

    /// Indices of the events after `resourceVersion`, oldest first.
    func indices(after resourceVersion: UInt64) -> Range<Int> {
        firstIndex(after: resourceVersion)..<events.count
    }

    private func firstIndex(after resourceVersion: UInt64) -> Int {
        var low = head, high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].resourceVersion <= resourceVersion { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private mutating func drop(_ n: Int) {
        guard n > 0 else { return }
        compactedThrough = max(compactedThrough, events[head + n - 1].resourceVersion)
        head += n
        // Shift storage only now and then, so trimming stays cheap per event.
        if head > 1024 && head * 2 > events.count {
            events.removeFirst(head)
            head = 0
        }
    }
}
