import JSONBytes

extension HookLint {
    /// The names a hook's handlers conventionally give the pods they are handed.
    static let podNames: Set<String> = ["pod", "new", "old"]

    /// Reads of `pod.<path>`, `new.<path>` or `old.<path>` (`.name` and `["name"]` steps; an
    /// index such as `[1]` passes through an array) that the hook's `view` does not keep: at
    /// run time they are nil. A scan of the source, not of what runs: it does not see a pod
    /// reached under another name (another parameter name, `local s = pod.status`, a table
    /// from `kube.pods`), nor keys computed at run time (`pod[field]`).
    static func readWarnings(for file: HookFile, tokens: [LuaTokens.Token], view: JSONProjection) -> [String] {
        var warnings: [String] = []
        var reported = Set<String>()
        for (index, token) in tokens.enumerated() where token.kind == .name && podNames.contains(token.text) {
            guard index == 0 || ![".", ":"].contains(tokens[index - 1].text) else { continue }
            let path = readPath(after: index, in: tokens)
            guard !path.isEmpty, !view.keeps(path) else { continue }
            let dotted = path.joined(separator: ".")
            guard reported.insert(dotted).inserted else { continue }
            warnings.append(
                "\(file.path):\(token.line): warning: \(token.text).\(dotted) is outside hook.reads, so it is always nil; add \"\(dotted)\" (or a part of it) to reads")
        }
        return warnings
    }

    /// The member names of the chain of steps after the name at `start`.
    private static func readPath(after start: Int, in tokens: [LuaTokens.Token]) -> [String] {
        var path: [String] = []
        var index = start + 1
        while index + 1 < tokens.count {
            if tokens[index].text == ".", tokens[index + 1].kind == .name {
                path.append(tokens[index + 1].text)
                index += 2
            } else if tokens[index].text == "[", let close = closingBracket(of: index, in: tokens) {
                if close == index + 2, let name = tokens[index + 1].string { path.append(name) }
                index = close + 1
            } else {
                break
            }
        }
        return path
    }

    private static func closingBracket(of open: Int, in tokens: [LuaTokens.Token]) -> Int? {
        var depth = 0
        for index in open..<tokens.count {
            if tokens[index].text == "[" { depth += 1 }
            if tokens[index].text == "]" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}
