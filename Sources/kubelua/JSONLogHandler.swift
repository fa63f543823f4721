import Foundation
import Logging

/// One JSON object per line on standard error: time, level, logger, message, then metadata.
/// Numbers and booleans logged as such (`.stringConvertible(3)`) stay JSON numbers and booleans.
struct JSONLogHandler: MetadataLogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue, "logger": label,
            "message": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) where object[key] == nil {
            object[key] = Self.json(value)
        }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let number as any BinaryInteger): Int64(clamping: number)
        case .stringConvertible(let number as Double) where number.isFinite: number
        case .stringConvertible(let flag as Bool): flag
        case .stringConvertible(let other): other.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }
}
