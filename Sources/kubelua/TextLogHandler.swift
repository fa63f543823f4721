import Foundation
import Logging

/// Lines for people on standard error: `time level label: message key=value ...`. The message
/// comes first; a multi-line value (a traceback) follows on the lines after, so the one line
/// that says what happened is never buried.
struct TextLogHandler: MetadataLogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }).sorted { $0.key < $1.key }
        var line = "\(ISO8601DateFormatter().string(from: Date())) \(event.level.rawValue) \(label): \(event.message)"
        var blocks: [String] = []
        for (key, value) in fields {
            let text = "\(value)"
            if text.contains("\n") { blocks.append(text) } else { line += " \(key)=\(text)" }
        }
        FileHandle.standardError.write(Data(([line] + blocks).joined(separator: "\n").appending("\n").utf8))
    }
}
