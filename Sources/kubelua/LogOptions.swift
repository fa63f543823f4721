import ArgumentParser
import Foundation
import Hooks
import Kube
import Logging
import Lua

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
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : TextLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "kubelua")
    }
}

extension HookLogRecord {
    /// Sends the line to a logger, with the hook, namespace and pod as metadata; the script's
    /// numbers and booleans stay numbers and booleans in JSON.
    func log(to logger: Logger) {
        var metadata = hookCallMetadata(hook: hook, pod: context?.pod, event: context?.event)
        for (key, value) in fields {
            switch value {
            case .integer(let number): metadata[key] = .stringConvertible(number)
            case .number(let number): metadata[key] = .stringConvertible(number)
            case .boolean(let flag): metadata[key] = .stringConvertible(flag)
            default: metadata[key] = .string(LuaModule.render(value))
            }
        }
        logger.log(level: level, "\(message)", metadata: metadata)
    }
}

extension HookFailure {
    /// Logs the failure as an error (a given-up event as a warning): its message, the same hook,
    /// namespace, pod and event fields as the hook's own lines, and the traceback last.
    func log(to logger: Logger) {
        var metadata = hookCallMetadata(hook: hook, pod: pod, event: event)
        metadata["handler"] = "\(handler)"
        if let traceback = error.traceback { metadata["traceback"] = "\(traceback)" }
        if case .givenUp = disposition {
            logger.warning("\(description)", metadata: metadata)
        } else {
            logger.error("\(description)", metadata: metadata)
        }
    }
}

/// The fields that say on whose behalf a hook ran.
private func hookCallMetadata(hook: String, pod: PodKey?, event: String?) -> Logger.Metadata {
    var metadata: Logger.Metadata = ["hook": "\(hook)"]
    if let pod {
        metadata["namespace"] = "\(pod.namespace)"
        metadata["pod"] = "\(pod.name)"
    }
    if let event { metadata["event"] = "\(event)" }
    return metadata
}
