/// The scenario API for open watches: what the real server does to them on its own schedule,
/// done when a test says so.
extension FakeAPIServer {
    /// Sends a BOOKMARK at the current resource version to every open watch that asked for
    /// bookmarks (`allowWatchBookmarks=true`), as the real server does about once a minute.
    /// Every watch whose request is already in `requests` gets one.
    public func sendBookmarks() async {
        await settleEventLoops()
        core.store.bookmarkAll()
    }

    /// Ends every open watch cleanly (terminal chunk) after the events already queued for it,
    /// as the real server does when a watch's `timeoutSeconds` runs out. Every watch whose
    /// request is already in `requests` is ended.
    public func closeWatches() async {
        await settleEventLoops()
        core.store.endAll()
    }
}
