import Foundation

extension HookLayout {
    /// Files that look like Lua but are never read: `x.LUA`, `x.Lua` (only `.lua` is).
    /// `entries` are relative to `folder`.
    static func misnamedWarnings(in folder: String, entries: [String]) -> [String] {
        entries.filter { $0.lowercased().hasSuffix(".lua") && !$0.hasSuffix(".lua") && !isFolder(folder + "/" + $0) }.map { name in
            "\(folder)/\(name): ignored: only names ending in .lua (lower case) are read; rename it \(name.dropLast(4)).lua"
        }
    }

    /// `.lua` files in subfolders of a namespace or `_all` folder: hooks are read from the
    /// folder itself only.
    static func nestedWarnings(in folder: String, entries: [String]) -> [String] {
        entries.filter { isFolder(folder + "/" + $0) }.flatMap { sub in
            visibleTree(of: folder + "/" + sub).filter { $0.lowercased().hasSuffix(".lua") }.map { file in
                let name = file.split(separator: "/").last.map(String.init) ?? file
                return "\(folder)/\(sub)/\(file): ignored: hooks are read from \(folder)/*.lua only, not from subfolders (move it to \(folder)/\(name))"
            }
        }
    }

    /// Every entry under `folder`, relative to it, sorted, leaving out those under a name that
    /// starts with `.` (as the scan does).
    static func visibleTree(of folder: String) -> [String] {
        let entries = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        return entries.filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }.sorted()
    }
}
