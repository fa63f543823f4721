import NIOCore

/// What a watch receives from the store, in order.
enum WatchItem: Sendable {
    /// An ADDED/MODIFIED/DELETED line.
    case event(ByteBuffer)
    case bookmark(ByteBuffer)
    /// End the response cleanly once everything queued before it is written.
    case end
}

/// The receiving end of a watch. `deliver` is called with the store's lock held, which is what
/// orders events across threads, so it must only queue the item and return.
protocol WatchSink: Sendable {
    func deliver(_ item: WatchItem)
}

struct WatchSubscription: Sendable {
    var filter: PodFilter
    var selectsAll: Bool
    /// The client sent `allowWatchBookmarks` (or a fault forces bookmarks).
    var bookmarks: Bool
    var sink: any WatchSink
}
