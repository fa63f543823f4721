import JSONBytes
import Lua
import Selectors

/// What a hook declares about itself in its top-level `hook` table, read once when the script
/// loads (see the README's "Hook settings"): which pods it sees, how failed calls are retried,
/// how bursts of updates are merged, and its own limits.
public struct HookSettings: Sendable, Equatable {
    public var labels: LabelSelector?
    public var fields: PodFieldSelector?
    public var retry: RetryPolicy?
    public var debounce: Duration?
    /// When `on_schedule` runs.
    public var schedule: CronSchedule?
    /// How often every pod in the hook's scope is handed to it again (`on_update` with `ctx.resync`).
    public var resync: Duration?
    /// The parts of the pod the hook reads; nil: the whole pod.
    public var reads: HookReads?
    /// Overrides of `--time-limit`, `--memory-limit`, `--instruction-limit`; nil keeps the flag's.
    public var time: Duration?
    public var memory: Int?
    public var instructions: Int?
    /// The text of the selectors as written, for `check --verbose`.
    var labelsText: String?
    var fieldsText: String?

    public init() {}

    /// The global the settings are read from.
    public static let globalName = "hook"

    /// The sandbox limits this hook runs under: the flags', overridden by its own.
    public func limits(over base: LuaSandboxLimits) -> LuaSandboxLimits {
        var limits = base
        if let time { limits.timePerCall = time }
        if let memory { limits.memory = memory }
        if let instructions { limits.instructionsPerCall = instructions }
        return limits
    }

    var queue: HookQueue.Settings {
        HookQueue.Settings(retry: retry, debounce: debounce.map(\.nanoseconds))
    }

    /// What the hook is shown of each pod (nil: all the cache keeps, for a hook that declares
    /// nothing).
    public func view(strippingManagedFields: Bool) -> JSONProjection? {
        reads?.view(strippingManagedFields: strippingManagedFields)
    }

    /// The settings as `check --verbose` prints them, one `key = value` a line.
    public func describe(over base: LuaSandboxLimits, strippingManagedFields: Bool = true) -> [String] {
        let limits = limits(over: base)
        var lines = [
            "labels = \(labelsText.map { "\"\($0)\"" } ?? "(all pods)")",
            "fields = \(fieldsText.map { "\"\($0)\"" } ?? "(all pods)")",
        ]
        if let retry {
            lines.append(
                "retry = { attempts = \(retry.attempts), initial = \(Self.shown(retry.initial)), max = \(Self.shown(retry.max)), supersede = \(retry.supersede) }")
        } else {
            lines.append("retry = (none: a failed call is not run again unless it returns retry())")
        }
        lines.append("debounce = \(debounce.map(Self.shown) ?? "(none)")")
        lines.append("schedule = \(schedule.map { "\"\($0.text)\"" } ?? "(none)")")
        lines.append("resync = \(resync.map(Self.shown) ?? "(none)")")
        if let reads, let view = view(strippingManagedFields: strippingManagedFields) {
            lines.append("reads = { \(reads.paths.map { "\"\($0)\"" }.joined(separator: ", ")) } (sees \(view))")
        } else {
            lines.append("reads = (not declared: the whole pod\(strippingManagedFields ? ", less metadata.managedFields" : ""); its watch's cache keeps whole pods)")
        }
        let time = limits.timePerCall.map(Self.shown) ?? "none", memory = limits.memory.map { "\($0 >> 20)MiB" } ?? "none"
        let instructions = limits.instructionsPerCall.map(String.init) ?? "none"
        lines.append("limits = { time = \(time), memory = \(memory), instructions = \(instructions) }")
        return lines
    }

    private static func shown(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\"\(milliseconds / 1000)s\"" : "\"\(milliseconds)ms\""
    }
}

/// A setting's problem, before it is placed at `path:line`.
public struct SettingError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
