import NIOCore

/// The thread-safe front of a `WatchStream`: the store queues items here (under its lock) and
/// one task on the channel's event loop drains whatever has accumulated, writing it with a
/// single flush, so a burst of events costs one hop and one syscall, not one each.
final class ChannelWatchSink: WatchSink {
    private struct Pending {
        var items: [WatchItem] = []
        var scheduled = false
        var closed = false
    }

    private let pending = Locked(Pending())
    private let eventLoop: any EventLoop
    private let receiver: NIOLoopBoundBox<WatchStream?>

    init(stream: WatchStream, eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        receiver = NIOLoopBoundBox(stream, eventLoop: eventLoop)
    }

    func deliver(_ item: WatchItem) {
        let schedule = pending.withLock { pending -> Bool in
            guard !pending.closed else { return false }
            pending.items.append(item)
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        if schedule { eventLoop.execute { self.drain() } }
    }

    private func drain() {
        let items = pending.withLock { pending in
            pending.scheduled = false
            defer { pending.items.removeAll(keepingCapacity: true) }
            return pending.items
        }
        receiver.value?.write(items)
    }

    /// Stops delivery and drops the reference to the stream. On the event loop.
    func close() {
        pending.withLock { pending in
            pending.closed = true
            pending.items.removeAll()
        }
        receiver.value = nil
    }
}
