import Foundation
import Lua

/// `require(name)` for hooks: `hooks/_lib/<name>.lua`, where a dot in the name is a subfolder
/// (`require("alerts.slack")` reads `_lib/alerts/slack.lua`). A library must resolve, symlinks
/// followed, to a regular file inside the hooks folder.
struct HookLibraries: Sendable {
    let root: String

    func load(_ name: String) throws -> LuaLibrarySource {
        let valid = !name.isEmpty && name.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        } && !name.hasPrefix(".") && !name.contains("..")
        guard valid else { throw LuaRaisedError("module '\(name)': invalid name (letters, digits, _ - and . only)") }
        let relative = HookLayout.libraryFolder + "/" + name.replacingOccurrences(of: ".", with: "/") + ".lua"
        let source: [UInt8]?
        do {
            source = try Self.read(relative, in: root)
        } catch {
            throw LuaRaisedError("module '\(name)': \(error)")
        }
        guard let source else {
            throw LuaRaisedError("module '\(name)' not found (looked for \(relative) in the hooks folder)")
        }
        return LuaLibrarySource(chunkName: relative, source: source)
    }

    /// The file at `relative` under `root`, or nil when there is none; refused when it is not
    /// a regular file or resolves outside `root`.
    static func read(_ relative: String, in root: String) throws(HookSourceFile.Refused) -> [UInt8]? {
        let path = root + "/" + relative
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard HookSourceFile.resolves(path, inside: root) else {
            throw HookSourceFile.Refused(name: relative, reason: "refused: it resolves to a file outside the hooks folder")
        }
        return try HookSourceFile.read(path, name: relative)
    }
}
