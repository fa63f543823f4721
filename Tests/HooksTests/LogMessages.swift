import Logging

/// A logger whose messages a test can await (what the daemon says it is doing).
final class LogMessages: Sendable {
    private let arrivals: AsyncStream<String>.Continuation
    let stream: AsyncStream<String>

    init() {
        (stream, arrivals) = AsyncStream.makeStream()
    }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(arrivals: self.arrivals) }
        logger.logLevel = .debug
        return logger
    }

    /// Waits for a message starting with `prefix`; false if the stream ended first.
    func wait(for prefix: String) async -> Bool {
        for await message in stream where message.hasPrefix(prefix) { return true }
        return false
    }

    struct Handler: LogHandler {
        let arrivals: AsyncStream<String>.Continuation
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            arrivals.yield(event.message.description)
        }
    }
}
