import JSONBytes

/// What `kubelua check` warns about in a script that loads: no handler (or a near miss such as
/// `onAdd`, at its line), reads of globals that neither the sandbox nor the script defines
/// (`io`, `os.execute`, a misspelt `lgo.info`, `kube.lable`), and `require` of a module `_lib/`
/// does not have.
///
/// The scan reads tokens, not a syntax tree: a name declared `local` anywhere in the file
/// counts as defined everywhere, and `name = value` anywhere (a table key too) defines it, so
/// it misses some mistakes rather than warn about correct code. Fields are checked only on the
/// sandbox's libraries and helper modules (`string`, `os`, `json`, `kube`, ...), whose contents
/// are fixed.
enum HookLint {
    static let handlers = ["on_add", "on_update", "on_delete", "on_phase", "on_timer", "on_schedule", "on_start"]
    static let libraries: Set<String> = [
        "string", "table", "math", "utf8", "coroutine", "os", "json", "log", "http", "kube", "metrics", "state", "timer",
    ]

    /// `globals` holds what the script's globals hold after loading: `name`, `name()` when it
    /// is a function, and `library.field` for the libraries. `root` is the hooks folder, whose
    /// `_lib/` holds what `require` loads. `view` is what the hook is shown of each pod (nil:
    /// it declared no reads).
    static func warnings(for file: HookFile, source: [UInt8], globals: Set<String>, root: String, view: JSONProjection?) -> [String] {
        let tokens = LuaTokens(source).tokens
        return handlerWarnings(for: file, source: source, tokens: tokens, globals: globals)
            + globalWarnings(for: file, tokens: tokens, globals: globals) + requireWarnings(for: file, tokens: tokens, root: root)
            + (view.map { readWarnings(for: file, tokens: tokens, view: $0) } ?? [])
    }

    private static func handlerWarnings(for file: HookFile, source: [UInt8], tokens: [LuaTokens.Token], globals: Set<String>) -> [String] {
        let functions = globals.filter { $0.hasSuffix("()") }.map { String($0.dropLast(2)) }.sorted()
        var warnings = functions.compactMap { name in
            closestHandler(to: name).map { handler in
                let line = definitionLine(of: name, in: tokens).map { ":\($0)" } ?? ""
                return "\(file.path)\(line): warning: '\(name)' is not a handler name, so it never runs; did you mean '\(handler)'?"
            }
        }
        if !handlers.contains(where: { functions.contains($0) }) {
            let local = String(decoding: source, as: UTF8.self).contains("local function on_") ? "; handlers must be global functions" : ""
            warnings.append("\(file.path): warning: defines no handler (\(handlers.joined(separator: ", "))), so it never runs\(local)")
        }
        return warnings
    }

    /// The line of `function name(` or `name = `, where a global is defined.
    static func definitionLine(of name: String, in tokens: [LuaTokens.Token]) -> Int? {
        tokens.indices.first { index in
            tokens[index].kind == .name && tokens[index].text == name
                && ((index > 0 && tokens[index - 1].text == "function") || (index + 1 < tokens.count && tokens[index + 1].text == "="))
        }.map { tokens[$0].line }
    }

    /// The handler a misnamed function most likely meant: `onAdd`, `on_added`, `on_modify`.
    static func closestHandler(to name: String) -> String? {
        let normalized = name.lowercased().replacingOccurrences(of: "_", with: "")
        guard normalized.hasPrefix("on"), !handlers.contains(name) else { return nil }
        let event = String(normalized.dropFirst(2))
        let synonyms = [
            "on_add": ["add", "added", "create", "created", "new"], "on_update": ["update", "updated", "modify", "modified", "change", "changed"],
            "on_delete": ["delete", "deleted", "remove", "removed"], "on_phase": ["phase", "phasechange", "phasechanged"],
            "on_timer": ["timer", "timeout", "timerfired"], "on_schedule": ["schedule", "scheduled", "cron", "tick"],
            "on_start": ["start", "started", "init", "load", "loaded"],
        ]
        return handlers.first { synonyms[$0]!.contains(event) } ?? handlers.first { editDistance(event, String($0.dropFirst(3))) <= 2 }
    }

    private static func globalWarnings(for file: HookFile, tokens: [LuaTokens.Token], globals: Set<String>) -> [String] {
        let (declared, notReads) = declarations(in: tokens)
        let topLevel = globals.filter { !$0.contains(".") && !$0.hasSuffix("()") }
        var warnings: [String] = []
        var reported = Set<String>()
        for (index, token) in tokens.enumerated() where token.kind == .name && !LuaTokens.keywords.contains(token.text) {
            let previous = index > 0 ? tokens[index - 1].text : ""
            guard ![".", ":", "goto", "::"].contains(previous), !notReads.contains(index), !declared.contains(token.text) else { continue }
            let name = token.text
            if !topLevel.contains(name) {
                guard reported.insert(name).inserted else { continue }
                let why =
                    SandboxRemovals.globals.contains(name)
                    ? "'\(name)' is not available in the kubelua sandbox"
                    : "reads global '\(name)', which neither the sandbox nor the script defines" + suggestion(for: name, among: topLevel)
                warnings.append("\(file.path):\(token.line): warning: \(why)")
            } else if libraries.contains(name), index + 2 < tokens.count, tokens[index + 1].text == ".", tokens[index + 2].kind == .name {
                let field = tokens[index + 2].text, path = "\(name).\(field)"
                guard !globals.contains(path), reported.insert(path).inserted else { continue }
                let fields = Set(globals.filter { $0.hasPrefix(name + ".") })
                let why =
                    SandboxRemovals.fields[field] == path
                    ? "'\(path)' is not available in the kubelua sandbox"
                    : "'\(path)' does not exist" + suggestion(for: path, among: fields)
                warnings.append("\(file.path):\(tokens[index + 2].line): warning: \(why)")
            }
        }
        return warnings
    }

    /// Names declared local anywhere (locals, parameters, loop variables) or assigned as
    /// globals, and the token indices that name something without reading it.
    private static func declarations(in tokens: [LuaTokens.Token]) -> (Set<String>, Set<Int>) {
        // `self` in methods and `_ENV` are implicit locals.
        var declared: Set<String> = ["self", "_ENV"], notReads = Set<Int>()
        /// Declares `a, b <const>, c` up to one of `stops`: names, commas and attributes.
        func declareList(from start: Int, until stops: Set<String>) {
            var j = start
            while j < tokens.count, !stops.contains(tokens[j].text) {
                let token = tokens[j]
                if token.kind == .name && tokens[j - 1].text == "<" {
                    notReads.insert(j)  // an attribute: `<const>`, `<close>`
                } else if token.kind == .name && !LuaTokens.keywords.contains(token.text) {
                    declared.insert(token.text)
                    notReads.insert(j)
                } else if ![",", "<", ">", "..."].contains(token.text) {
                    break
                }
                j += 1
            }
        }
        var brackets: [String] = []
        for (i, token) in tokens.enumerated() {
            switch token.text {
            case "(", "[", "{": if token.kind == .symbol { brackets.append(token.text) }
            case ")", "]", "}": if token.kind == .symbol { _ = brackets.popLast() }
            case "local" where token.kind == .name:
                if i + 1 < tokens.count, tokens[i + 1].text == "function" { declareList(from: i + 2, until: ["("]) }
                else { declareList(from: i + 1, until: ["=", "in"]) }
            case "for" where token.kind == .name: declareList(from: i + 1, until: ["=", "in"])
            case "function" where token.kind == .name:
                var j = i + 1
                if j < tokens.count, tokens[j].kind == .name, j + 1 < tokens.count, tokens[j + 1].text == "(" {
                    declared.insert(tokens[j].text)
                    notReads.insert(j)
                }
                while j < tokens.count, tokens[j].text != "(" { j += 1 }
                declareList(from: j + 1, until: [")"])
            case "=" where token.kind == .symbol && brackets.last != "{":
                // `a, b = ...`: each plain name before `=` is assigned, not read.
                var j = i - 1
                while j >= 0, tokens[j].kind == .name, j == 0 || ![".", ":"].contains(tokens[j - 1].text) {
                    declared.insert(tokens[j].text)
                    notReads.insert(j)
                    guard j >= 2, tokens[j - 1].text == "," else { break }
                    j -= 2
                }
            case "=" where token.kind == .symbol:
                if i > 0, tokens[i - 1].kind == .name { notReads.insert(i - 1) }
            default: break
            }
        }
        return (declared, notReads)
    }

    static func suggestion(for name: String, among candidates: Set<String>) -> String {
        let best = candidates.map { ($0, editDistance(name, $0)) }.filter { $0.1 <= 2 }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        return best.map { " (did you mean '\($0.0)'?)" } ?? ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 0..<b.count {
                let above = row[j + 1]
                row[j + 1] = min(above + 1, row[j] + 1, diagonal + (a[i - 1] == b[j] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
