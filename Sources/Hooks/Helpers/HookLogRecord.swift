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

    public static func == (a: Self, b: Self) -> Bool {
        a.level == b.level && a.message == b.message && a.fields.elementsEqual(b.fields, by: ==) && a.context == b.context
            && a.hook == b.hook
    }
}

/// Where hook output goes: the run command logs it, replay and demo print it.
public typealias HookLogSink = @Sendable (HookLogRecord) -> Void
