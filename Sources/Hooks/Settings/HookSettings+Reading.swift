import Lua
import Selectors

extension HookSettings {
    /// Reads the `hook` table a script's top level left (nil: no settings). Unknown keys, wrong
    /// types and bad values are errors at `path:line` naming the key and the value; the line is
    /// the key's in `source` when it is written there literally, else the `hook` table's.
    static func read(_ value: LuaValue, source: [UInt8], path: String) throws(LuaError) -> HookSettings {
        let lines = SettingLines(source: source)
        func fail(_ key: [String], _ message: String) -> LuaError {
            let name = ([globalName] + key).joined(separator: ".")
            return LuaError(kind: .runtime, message: "\(path):\(lines.line(of: key)): \(name): \(message)")
        }
        var settings = HookSettings()
        guard case .table(let table) = value else {
            if case .nil = value { return settings }
            throw fail([], "expected a table of settings, got \(SettingText.shown(value))")
        }
        for (key, field) in table.sorted(by: { SettingText.shown($0.key) < SettingText.shown($1.key) }) {
            guard let name = key.text else { throw fail([], "keys are names; \(SettingText.shown(key)) is not one") }
            do {
                switch name {
                case "labels":
                    let text = try Self.text(field)
                    do { settings.labels = try LabelSelector(parsing: text) } catch { throw SettingError("\(SettingText.shown(field)) is not a label selector: \(error.message)") }
                    settings.labelsText = text
                case "fields":
                    let text = try Self.text(field)
                    settings.fields = try PodFieldSelector(parsing: text)
                    settings.fieldsText = text
                case "debounce":
                    settings.debounce = try Self.positiveDuration(field)
                case "schedule":
                    settings.schedule = try CronSchedule(parsing: try Self.text(field))
                case "resync":
                    let every = try Self.positiveDuration(field)
                    guard every >= .seconds(10) else { throw SettingError("expected at least 10s, got \(SettingText.shown(field))") }
                    settings.resync = every
                case "retry":
                    settings.retry = try readRetry(field, fail: fail)
                case "limits":
                    try readLimits(field, into: &settings, fail: fail)
                case "reads":
                    settings.reads = try HookReads(reading: field)
                default:
                    throw fail([name], "unknown setting (known: debounce, fields, labels, limits, reads, resync, retry, schedule)")
                }
            } catch let error as SettingError {
                throw fail([name], error.message)
            } catch let error as LuaError {
                throw error
            } catch {
                throw fail([name], "\(error)")
            }
        }
        return settings
    }

    private static func readRetry(_ value: LuaValue, fail: ([String], String) -> LuaError) throws -> RetryPolicy {
        guard case .table(let table) = value else { throw SettingError("expected a table like { attempts = 5, initial = \"1s\", max = \"5m\" }, got \(SettingText.shown(value))") }
        var policy = RetryPolicy()
        for (key, field) in table {
            let name = key.text ?? SettingText.shown(key)
            do {
                switch name {
                case "attempts":
                    guard case .integer(let count) = field, (1...100).contains(count) else { throw SettingError("expected a whole number from 1 to 100, got \(SettingText.shown(field))") }
                    policy.attempts = Int(count)
                case "initial": policy.initial = try positiveDuration(field)
                case "max": policy.max = try positiveDuration(field)
                case "supersede":
                    guard case .boolean(let flag) = field else { throw SettingError("expected true or false, got \(SettingText.shown(field))") }
                    policy.supersede = flag
                default: throw SettingError("unknown setting (known: attempts, initial, max, supersede)")
                }
            } catch let error as SettingError {
                throw fail(["retry", name], error.message)
            }
        }
        if policy.max < policy.initial {
            throw fail(["retry", "max"], "\(shown(policy.max)) is less than initial (\(shown(policy.initial)))")
        }
        return policy
    }

    private static func readLimits(_ value: LuaValue, into settings: inout HookSettings, fail: ([String], String) -> LuaError) throws {
        guard case .table(let table) = value else { throw SettingError("expected a table like { time = \"5s\", memory = \"16MiB\" }, got \(SettingText.shown(value))") }
        for (key, field) in table {
            let name = key.text ?? SettingText.shown(key)
            do {
                switch name {
                case "time": settings.time = try positiveDuration(field)
                case "memory":
                    guard let bytes = SettingText.bytes(field), bytes >= 1 << 20 else {
                        throw SettingError("expected a size of at least 1MiB such as \"16MiB\", got \(SettingText.shown(field))")
                    }
                    settings.memory = bytes
                case "instructions":
                    guard case .integer(let count) = field, count >= 1000 else { throw SettingError("expected a whole number of at least 1000, got \(SettingText.shown(field))") }
                    settings.instructions = Int(count)
                default: throw SettingError("unknown setting (known: instructions, memory, time)")
                }
            } catch let error as SettingError {
                throw fail(["limits", name], error.message)
            }
        }
    }

    private static func text(_ value: LuaValue) throws(SettingError) -> String {
        guard let text = value.text else { throw SettingError("expected a string, got \(SettingText.shown(value))") }
        return text
    }

    private static func positiveDuration(_ value: LuaValue) throws(SettingError) -> Duration {
        guard let duration = SettingText.duration(value), duration > .zero else {
            throw SettingError("expected a duration such as \"500ms\", \"30s\", \"5m\" or a number of seconds, got \(SettingText.shown(value))")
        }
        return duration
    }

    private static func shown(_ duration: Duration) -> String {
        "\(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)s"
    }
}

/// Where the keys of the `hook` table are written in a script, for error messages.
struct SettingLines {
    private let tokens: [LuaTokens.Token]
    /// The index of the `{` after `hook =`, when the table is written literally.
    private let open: Int?

    init(source: [UInt8]) {
        tokens = LuaTokens(source).tokens
        var found: Int?
        for index in tokens.indices.dropLast(2)
        where tokens[index].text == HookSettings.globalName && tokens[index].kind == .name && tokens[index + 1].text == "="
            && tokens[index + 2].text == "{" && (index == 0 || tokens[index - 1].text != ".")
        {
            found = index + 2
            break
        }
        open = found
    }

    /// The line of `hook.a.b`'s key (or of the innermost enclosing key found), else of `hook`, else 1.
    func line(of key: [String]) -> Int {
        guard let open else { return 1 }
        var line = tokens[open].line
        var start = open
        for part in key {
            guard let found = member(part, ofTableAt: start) else { break }
            line = tokens[found].line
            start = found + 2
            guard start < tokens.count, tokens[start].text == "{" else { break }
        }
        return line
    }

    /// The token index of `name = ` directly inside the table whose `{` is at `open`.
    private func member(_ name: String, ofTableAt open: Int) -> Int? {
        var depth = 0
        var index = open
        while index < tokens.count {
            switch tokens[index].text {
            case "{", "(", "[": depth += 1
            case "}", ")", "]":
                depth -= 1
                if depth == 0 { return nil }
            default:
                if depth == 1, tokens[index].kind == .name, tokens[index].text == name, index + 1 < tokens.count, tokens[index + 1].text == "=" {
                    return index
                }
            }
            index += 1
        }
        return nil
    }
}
