import Logging
import Lua

extension LuaModule {
    /// `log.debug/info/warn/error(message, fields)`: structured lines; the hook, namespace and
    /// pod are added from the call being run.
    static func log(hook: String, sink: @escaping HookLogSink) -> LuaModule {
        LuaModule(name: "log") { state in
            state.newTable(fieldCapacity: 4)
            for (name, level) in [("debug", Logger.Level.debug), ("info", .info), ("warn", .warning), ("error", .error)] {
                state.pushFunction(named: "log.\(name)") { arguments in
                    // Only the part of the message that will be kept is copied out of Lua.
                    let message = try arguments.withBytes(at: 1) { bytes in
                        let kept = String(decoding: bytes.prefix(TextLimits.message + 4), as: UTF8.self)
                        return bytes.count > TextLimits.message ? TextLimits.truncate(kept, to: TextLimits.message, size: bytes.count) : kept
                    }
                    var fields: [(String, LuaValue)] = []
                    if !arguments.isNil(at: 2) {
                        try arguments.requireTable(at: 2)
                        fields = Self.fields(of: try arguments.value(at: 2))
                    }
                    sink(HookLogRecord(level: level, message: message, fields: fields, context: arguments.callContext as? HookCallContext, hook: hook))
                    return 0
                }
                state.setField(name)
            }
        }
    }

    /// A fields table as pairs sorted by key. Numbers and booleans keep their type (they stay
    /// numbers in JSON logs); tables become text, rendered only as far as it will be kept (a
    /// copied table may share sub-tables many times over).
    private static func fields(of table: LuaValue) -> [(String, LuaValue)] {
        guard case .table(let entries) = table else { return [] }
        return sortedByKey(entries).map { key, value in
            if case .table = value { return (key, .string(render(value))) }
            return (key, value)
        }
    }

    private static func sortedByKey(_ entries: [LuaValue: LuaValue]) -> [(String, LuaValue)] {
        entries.map { (render($0.key), $0.value) }.sorted { $0.0 < $1.0 }
    }

    /// A value as text, at most about `TextLimits.field` bytes of it; tables as JSON-like text.
    public static func render(_ value: LuaValue) -> String {
        var text = ""
        render(value, into: &text, limit: TextLimits.field)
        return text
    }

    /// Appends `value` to `text`, stopping once `text` passes `limit` bytes.
    private static func render(_ value: LuaValue, into text: inout String, limit: Int) {
        guard text.utf8.count <= limit else { return }
        switch value {
        case .nil: text += "nil"
        case .boolean(let flag): text += String(flag)
        case .integer(let number): text += String(number)
        case .number(let number): text += String(number)
        case .string: text += value.text ?? "<binary>"
        case .opaque(let type): text += "<\(type)>"
        case .table(let entries):
            text += "{"
            for (index, (key, element)) in sortedByKey(entries).enumerated() {
                guard text.utf8.count <= limit else { return }
                text += (index == 0 ? "" : ", ") + key + "="
                render(element, into: &text, limit: limit)
            }
            text += "}"
        }
    }
}
