import Lua

extension HookLogRecord {
    /// The line `replay` and `demo` print: the message, then the script's fields as key=value;
    /// levels other than info are named first.
    public var text: String {
        var line = level == .info ? message : "\(level == .warning ? "WARN" : level.rawValue.uppercased()) \(message)"
        for (key, value) in fields { line += " \(key)=\(LuaModule.render(value))" }
        return line
    }
}

extension HookFailure {
    /// The report people read: `path:line: message (pod ns/name) in on_update`, then the
    /// traceback on the lines after.
    public var report: String {
        [description, error.traceback].compactMap { $0 }.joined(separator: "\n")
    }
}
