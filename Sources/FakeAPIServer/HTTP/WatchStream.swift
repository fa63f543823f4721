import NIOCore
import NIOHTTP1

/// One watch response on one connection, confined to its event loop: writes the head, then
/// each event line the store delivers as an HTTP chunk, applying the request's fault plan
/// (split chunks, injected lines, early endings), bookmarks and `timeoutSeconds`.
final class WatchStream {
    struct Parameters {
        var filter: PodFilter
        var resourceVersion: String?
        var timeout: Duration?
        var bookmarks: Bool
        var bookmarkInterval: Duration
        var version: HTTPVersion
        var omissions: MetadataOmissions = []
    }

    // Internal (not private) for the writing half in WatchStream+Writing.swift.
    let context: ChannelHandlerContext
    let store: PodRegistry
    var plan: FaultPlan
    let onEnd: () -> Void
    var sink: ChannelWatchSink?
    var subscription: Int?
    var eventsWritten = 0
    var injectionsWritten = 0
    var timeout: Scheduled<Void>?
    var bookmarkTask: RepeatedTask?
    var finished = false
    var omissions: MetadataOmissions = []

    /// `onEnd` runs when the response has ended cleanly and the connection can serve again.
    init(context: ChannelHandlerContext, store: PodRegistry, plan: FaultPlan, onEnd: @escaping () -> Void) {
        self.context = context
        self.store = store
        self.plan = plan
        self.plan.injections.sort { $0.afterEvents < $1.afterEvents }
        self.onEnd = onEnd
    }

    /// Starts streaming, or returns the error reply to send instead (e.g. 504 for a version
    /// the store has not reached).
    func start(_ parameters: Parameters) -> Reply? {
        let sink = ChannelWatchSink(stream: self, eventLoop: context.eventLoop)
        let id: Int
        let bookmarks = parameters.bookmarks || plan.onlyBookmarks
        omissions = parameters.omissions
        switch store.subscribe(filter: parameters.filter, from: parameters.resourceVersion, bookmarks: bookmarks, sink: sink) {
        case .failure(.status(let status)):
            return .error(status)
        case .failure(.expired(let status)):
            // The real server's answer to a compacted version: 200, one ERROR event, end.
            context.write(NIOAny(HTTPServerResponsePart.head(streamingHead(version: parameters.version))), promise: nil)
            writeLine(EventLine.error(status))
            finish()
            return nil
        case .success(let subscribed):
            id = subscribed
        }
        self.sink = sink
        subscription = id
        context.write(NIOAny(HTTPServerResponsePart.head(streamingHead(version: parameters.version))), promise: nil)
        if let timeout = parameters.timeout {
            self.timeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { self.finish() }
        }
        if bookmarks {
            let interval = TimeAmount(parameters.bookmarkInterval)
            bookmarkTask = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [store] _ in
                store.bookmark(id)
            }
        }
        if plan.onlyBookmarks { store.bookmark(id) }
        writeDueInjections()
        if !reachedEnding() { context.flush() }
        return nil
    }

    /// Writes what the store delivered, in order, then flushes once.
    func write(_ items: [WatchItem]) {
        guard !finished else { return }
        for item in items {
            switch item {
            case .bookmark(let line):
                writeLine(line)
            case .end:
                finish()
                return
            case .event(let stored):
                if plan.onlyBookmarks { continue }
                let line = omissions.stripping(line: stored)
                if case .partial(let n)? = plan.ending, eventsWritten >= n {
                    writePartial(line)
                    return
                }
                writeLine(line)
                eventsWritten += 1
                writeDueInjections()
                if reachedEnding() { return }
            }
        }
        context.flush()
    }

    /// The connection went away: stop receiving.
    func cancel() {
        cleanUp()
    }
}
