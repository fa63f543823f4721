import Logging
import Lua

/// One line a hook wrote with `log.*` or `print`.
public struct HookLogRecord: Sendable, Equatable {
    public let level: Logger.Level
    public let message: String
    /// The script's own fields, in the order Lua gave them (sorted by key).
    public let fields: [(String, LuaValue)]
    /// The call it came from; nil when the script logged at its top level.
    public let context: HookCallContext?
    /// The hook, even at top level.
    public let hook: String

    /// A record whose message and fields are cut to `TextLimits` (message, field size, field
    /// count): what a script logs is its own to size, but not the log's.
    public init(level: Logger.Level, message: String, fields: [(String, LuaValue)], context: HookCallContext?, hook: String) {
        self.level = level
        self.message = TextLimits.truncate(message, to: TextLimits.message)
        var kept = fields.prefix(TextLimits.fields).map { key, value -> (String, LuaValue) in
            let text = value.text.map { LuaValue.string(TextLimits.truncate($0, to: TextLimits.field)) }
            return (TextLimits.truncate(key, to: TextLimits.field), text ?? value)
        }
        if fields.count > TextLimits.fields { kept.append(("...", .string("(truncated, \(fields.count - TextLimits.fields) more fields)"))) }
        self.fields = kept
        self.context = context
        self.hook = hook
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.level == b.level && a.message == b.message && a.fields.elementsEqual(b.fields, by: ==) && a.context == b.context
            && a.hook == b.hook
    }
}

/// Where hook output goes: the run command logs it, replay and demo print it.
public typealias HookLogSink = @Sendable (HookLogRecord) -> Void
