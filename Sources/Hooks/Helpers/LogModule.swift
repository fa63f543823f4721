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
                    let message = try arguments.string(at: 1)
                    var fields: [(String, LuaValue)] = []
                    if !arguments.isNil(at: 2) {
                        try arguments.requireTable(at: 2)
                        fields = Self.fields(of: arguments.value(at: 2))
                    }
                    sink(HookLogRecord(level: level, message: message, fields: fields, context: arguments.callContext as? HookCallContext, hook: hook))
                    return 0
                }
                state.setField(name)
            }
        }
    }

    /// A fields table as pairs sorted by key; values keep their type (numbers stay numbers in
    /// JSON logs).
    private static func fields(of table: LuaValue) -> [(String, LuaValue)] {
        guard case .table(let entries) = table else { return [] }
        return entries.map { (render($0.key), $0.value) }.sorted { $0.0 < $1.0 }
    }

    /// A value as text; nested tables are shown as JSON-like text.
    public static func render(_ value: LuaValue) -> String {
        switch value {
        case .nil: "nil"
        case .boolean(let flag): String(flag)
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .string: value.text ?? "<binary>"
        case .table(let entries): "{" + entries.map { "\(render($0.key))=\(render($0.value))" }.sorted().joined(separator: ", ") + "}"
        case .opaque(let type): "<\(type)>"
        }
    }
}
