import Foundation
import Logging

/// One JSON object per line on standard error: time, level, logger, message, then metadata.
/// Numbers and booleans logged as such (`.stringConvertible(3)`, `.stringConvertible(true)`)
/// stay JSON numbers and booleans, so `"code":200`, not `"code":"200"`.
struct JSONLogHandler: MetadataLogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    func log(event: LogEvent) {
        guard let line = line(for: event) else { return }
        FileHandle.standardError.write(line)
    }

    /// The event's line, newline included; metadata never replaces time, level, logger or message.
    func line(for event: LogEvent) -> Data? {
        var object: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue, "logger": label,
            "message": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) where object[key] == nil {
            object[key] = Self.json(value)
        }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        line.append(0x0A)
        return line
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let flag as Bool): flag
        case .stringConvertible(let number as any BinaryInteger): integer(number)
        case .stringConvertible(let number as any BinaryFloatingPoint): real(number)
        case .stringConvertible(let other): other.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    /// The exact value: a UInt64 past Int64's range stays itself rather than being clamped.
    private static func integer(_ number: some BinaryInteger) -> Any {
        Int64(exactly: number).map { $0 as Any } ?? UInt64(exactly: number).map { $0 as Any } ?? number.description
    }

    /// JSON has no NaN or infinity: those are written as text ("nan", "inf") instead of losing the line.
    private static func real(_ number: some BinaryFloatingPoint) -> Any {
        let value = Double(number)
        return value.isFinite ? value : value.description
    }
}
