import Logging
import Synchronization

/// A logger whose messages a test can await (what the daemon says it is doing), and every line
/// it logged (`message key=value ...`, keys sorted).
final class LogMessages: Sendable {
    private let arrivals: AsyncStream<String>.Continuation
    private let lines = Mutex<[String]>([])
    let stream: AsyncStream<String>

    var all: [String] { lines.withLock { $0 } }

    init() {
        (stream, arrivals) = AsyncStream.makeStream()
    }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(messages: self) }
        logger.logLevel = .debug
        return logger
    }

    /// Waits for a message starting with `prefix`; false if the stream ended first.
    func wait(for prefix: String) async -> Bool {
        for await message in stream where message.hasPrefix(prefix) { return true }
        return false
    }

    /// Waits until `predicate` holds for every line logged so far; false if the stream ended first.
    func wait(until predicate: ([String]) -> Bool) async -> Bool {
        if predicate(all) { return true }
        for await _ in stream where predicate(all) { return true }
        return false
    }

    struct Handler: LogHandler {
        let messages: LogMessages
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            messages.lines.withLock { $0.append("\(event.message)\(fields)") }
            messages.arrivals.yield(event.message.description)
        }
    }
}
