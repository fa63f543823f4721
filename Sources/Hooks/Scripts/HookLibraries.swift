import Foundation
import Lua

/// `require(name)` for hooks: `hooks/_lib/<name>.lua`, where a dot in the name is a subfolder
/// (`require("alerts.slack")` reads `_lib/alerts/slack.lua`).
struct HookLibraries: Sendable {
    let root: String

    func load(_ name: String) throws -> LuaLibrarySource {
        let valid = !name.isEmpty && name.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        } && !name.hasPrefix(".") && !name.contains("..")
        guard valid else { throw LuaRaisedError("module '\(name)': invalid name (letters, digits, _ - and . only)") }
        let relative = HookLayout.libraryFolder + "/" + name.replacingOccurrences(of: ".", with: "/") + ".lua"
        guard let data = FileManager.default.contents(atPath: root + "/" + relative) else {
            throw LuaRaisedError("module '\(name)' not found (looked for \(relative) in the hooks folder)")
        }
        return LuaLibrarySource(chunkName: relative, source: Array(data))
    }
}
