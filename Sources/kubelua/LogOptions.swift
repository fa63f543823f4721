import ArgumentParser
import Foundation
import Hooks
import Logging

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Where kubelua's own logs and the hooks' lines go: standard error, for people or machines.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "text (for people) or json (one object per line).")
    var format: LogFormat = .text

    func bootstrap(level: Logger.Level) -> Logger {
        Self.bootstrap(format: format, level: level)
    }

    static func bootstrap(format: LogFormat, level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "kubelua")
    }
}

extension HookLogRecord {
    /// Sends the line to a logger, with the hook, namespace and pod as metadata.
    func log(to logger: Logger) {
        var metadata: Logger.Metadata = ["hook": "\(hook)"]
        if let context {
            metadata["namespace"] = "\(context.pod.namespace)"
            metadata["pod"] = "\(context.pod.name)"
            metadata["event"] = "\(context.event.rawValue)"
        }
        for (key, value) in fields { metadata[key] = "\(value)" }
        logger.log(level: level, "\(message)", metadata: metadata)
    }
}
