import Foundation

extension HookLint {
    /// `require("name")` (or `require "name"`) of a module `_lib/` does not have: a mistake
    /// `run` would only find when the line runs.
    static func requireWarnings(for file: HookFile, tokens: [LuaTokens.Token], root: String) -> [String] {
        var modules: [String]?
        var warnings: [String] = []
        for (index, token) in tokens.enumerated() where token.kind == .name && token.text == "require" {
            guard index == 0 || ![".", ":"].contains(tokens[index - 1].text) else { continue }
            var argument = index + 1
            if argument < tokens.count, tokens[argument].text == "(" { argument += 1 }
            guard argument < tokens.count, let name = tokens[argument].string else { continue }
            let relative = HookLayout.libraryFolder + "/" + name.replacingOccurrences(of: ".", with: "/") + ".lua"
            guard !FileManager.default.fileExists(atPath: root + "/" + relative) else { continue }
            if modules == nil { modules = libraryFiles(in: root).map(\.module) }
            let near = suggestion(for: name, among: Set(modules ?? []))
            warnings.append("\(file.path):\(token.line): warning: require(\"\(name)\"): \(HookLayout.libraryFolder)/ has no \(relative.dropFirst(HookLayout.libraryFolder.count + 1))\(near)")
        }
        return warnings
    }

    /// `_lib/` files that define a handler: a library is not a hook, so it never runs as one.
    static func libraryWarnings(root: String) -> [String] {
        libraryFiles(in: root).flatMap { library -> [String] in
            guard let source = FileManager.default.contents(atPath: library.path) else { return [] }
            let tokens = LuaTokens(Array(source)).tokens
            return tokens.indices.compactMap { index -> String? in
                let token = tokens[index]
                guard token.kind == .name, handlers.contains(token.text), index > 0 else { return nil }
                let before = tokens[index - 1].text
                let defined = (before == "function" && (index < 2 || tokens[index - 2].text != "local"))
                    || (index + 1 < tokens.count && tokens[index + 1].text == "=" && ![".", ":", "local", ",", "{"].contains(before))
                guard defined else { return nil }
                return "\(library.path):\(token.line): warning: defines handler '\(token.text)', but \(HookLayout.libraryFolder)/ holds libraries, "
                    + "not hooks: it never runs as one (move the file into a namespace folder or \(HookLayout.allNamespacesFolder)/)"
            }
        }
    }

    /// The `.lua` files under `_lib/`, sorted, with the module name `require` gives each.
    private static func libraryFiles(in root: String) -> [(path: String, module: String)] {
        let folder = root + "/" + HookLayout.libraryFolder
        return HookLayout.visibleTree(of: folder).filter { $0.hasSuffix(".lua") }
            .map { (folder + "/" + $0, String($0.dropLast(4)).replacingOccurrences(of: "/", with: ".")) }
    }
}
