import NIOCore

/// Watches: registration with history replay, live fan-out, bookmarks.
extension PodRegistry {
    /// Registers a watch for changes after `resourceVersion`, delivering the backlog first.
    /// `nil`, "" and "0" mean "now": one synthetic ADDED per matching pod, then live events.
    /// Returns the subscription id, or the Status to answer with: 410 Expired (sent as an ERROR
    /// event) for a compacted version, 504 for one the store has not reached.
    func subscribe(filter: PodFilter, from resourceVersion: String?, bookmarks: Bool, sink: any WatchSink) -> Result<Int, WatchRefusal> {
        state.withLock { state in
            let current = state.resourceVersion
            let subscription = WatchSubscription(filter: filter, selectsAll: filter == .everything, bookmarks: bookmarks, sink: sink)
            switch resourceVersion {
            case nil, "", "0":
                for key in state.orderedKeys() {
                    guard let pod = state.pods[key], filter.matches(pod) else { continue }
                    sink.deliver(.event(EventLine.make(.added, object: pod.json.readableBytesView).line))
                }
            case let text?:
                guard let version = UInt64(text) else {
                    return .failure(.status(.badRequest("invalid resource version: \(text)")))
                }
                if version > current {
                    return .failure(.status(.tooLargeResourceVersion(requested: text, current: String(current))))
                }
                guard state.history.covers(version) else {
                    return .failure(.expired(.tooOldResourceVersion(requested: text, oldest: String(state.history.compactedThrough))))
                }
                for index in state.history.indices(after: version) {
                    if let line = state.line(forEventAt: index, subscription) { sink.deliver(.event(line)) }
                }
            }
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[id] = subscription
            return .success(id)
        }
    }

    func unsubscribe(_ id: Int) {
        state.withLock { _ = $0.watchers.removeValue(forKey: id) }
    }

    /// Queues a BOOKMARK at the current version. Taken under the lock, so every event up to
    /// that version is already queued ahead of it.
    func bookmark(_ id: Int) {
        state.withLock { state in
            state.watchers[id]?.sink.deliver(.bookmark(EventLine.bookmark(state.resourceVersion)))
        }
    }

    /// Queues a BOOKMARK at the current version for every watch that asked for bookmarks.
    func bookmarkAll() {
        state.withLock { state in
            let line = EventLine.bookmark(state.resourceVersion)
            for subscription in state.watchers.values where subscription.bookmarks {
                subscription.sink.deliver(.bookmark(line))
            }
        }
    }

    /// Queues the end of every watch, behind the events already queued for it.
    func endAll() {
        state.withLock { state in
            for subscription in state.watchers.values { subscription.sink.deliver(.end) }
        }
    }

    var watcherCount: Int { state.withLock { $0.watchers.count } }
}

/// Why a watch could not start.
enum WatchRefusal: Error {
    /// Answer with this HTTP status.
    case status(StatusError)
    /// HTTP 200, then this Status as an ERROR event (the real server's too-old-version reply).
    case expired(StatusError)
}

extension PodRegistry.State {
    mutating func publish(historyIndex index: Int) {
        for subscription in watchers.values {
            if let line = line(forEventAt: index, subscription) { subscription.sink.deliver(.event(line)) }
        }
    }

    /// What a watch with this filter sees of an event. A pod that stops matching is DELETED and
    /// one that starts matching is ADDED, as the real server's watch cache does.
    mutating func line(forEventAt index: Int, _ subscription: WatchSubscription) -> ByteBuffer? {
        let event = history[index]
        if subscription.selectsAll { return event.line }
        let filter = subscription.filter
        let matchesNow = filter.matches(event.pod)
        guard event.type == .modified else { return matchesNow ? event.line : nil }
        switch (event.previous.map(filter.matches) ?? false, matchesNow) {
        case (true, true): return event.line
        case (false, false): return nil
        case (false, true):
            if let line = event.enteredLine { return line }
            let line = EventLine.make(.added, object: event.pod.json.readableBytesView).line
            history[index].enteredLine = line
            return line
        case (true, false):
            if let line = event.leftLine { return line }
            var object = event.previous!.object()
            var metadata = object["metadata"] as? [String: Any] ?? [:]
            metadata["resourceVersion"] = String(event.resourceVersion)
            object["metadata"] = metadata
            let line = EventLine.make(.deleted, object: JSONCodec.encode(object)).line
            history[index].leftLine = line
            return line
        }
    }
}
