/// What the sandbox takes away from plain Lua, so errors and `kubelua check` can say that a
/// name is missing on purpose rather than misspelt.
enum SandboxRemovals {
    /// Globals plain Lua has and the sandbox does not.
    static let globals: Set<String> = ["io", "package", "debug", "dofile", "loadfile", "collectgarbage", "warn"]
    /// Library functions removed from tables the sandbox keeps, by field name.
    static let fields: [String: String] = [
        "execute": "os.execute", "exit": "os.exit", "remove": "os.remove", "rename": "os.rename", "tmpname": "os.tmpname",
        "setlocale": "os.setlocale", "dump": "string.dump",
    ]

    /// A hint for Lua's "attempt to index/call a nil value (global 'io')" and "(field 'execute')"
    /// messages when the name is one the sandbox removed; nil otherwise.
    static func hint(for message: String) -> String? {
        guard let match = message.firstMatch(of: /attempt to (?:index|call) a nil value \((global|field) '([A-Za-z_]+)'\)/) else {
            return nil
        }
        let name = String(match.2)
        if match.1 == "global" {
            return globals.contains(name) ? "'\(name)' is not available in the kubelua sandbox" : nil
        }
        return fields[name].map { "if this is \($0): it is not available in the kubelua sandbox" }
    }
}
