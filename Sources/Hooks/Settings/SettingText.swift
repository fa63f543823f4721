import Lua

/// The spellings settings accept for durations and sizes, shared by the hook settings table,
/// the helpers and the command line.
public enum SettingText {
    /// A duration written as text (`"90s"`, `"1h30m"`) or a number of seconds.
    public static func duration(_ text: String) -> Duration? {
        duration(Double(text).map { LuaValue.number($0) } ?? .string(text))
    }

    /// A duration: a number of seconds, or text such as `"500ms"`, `"90s"`, `"5m"`, `"1h30m"`
    /// (units `ms`, `s`, `m`, `h`). Nil when it is neither.
    static func duration(_ value: LuaValue) -> Duration? {
        switch value {
        case .integer(let seconds): return seconds >= 0 && seconds <= 1 << 31 ? .seconds(seconds) : nil
        case .number(let seconds): return seconds.isFinite && seconds >= 0 && seconds <= 2e9 ? .milliseconds(Int64((seconds * 1000).rounded())) : nil
        case .string: break
        default: return nil
        }
        guard let text = value.text, !text.isEmpty else { return nil }
        var total = Duration.zero
        var rest = Substring(text)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let amount = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let milliseconds: Double
            switch unit {
            case "ms": milliseconds = 1
            case "s": milliseconds = 1000
            case "m": milliseconds = 60_000
            case "h": milliseconds = 3_600_000
            default: return nil
            }
            guard amount * milliseconds <= 2e12 else { return nil }
            total += .milliseconds(Int64((amount * milliseconds).rounded()))
        }
        return total
    }

    /// A size in bytes: a whole number of bytes, or text such as `"16MiB"`, `"512KiB"`, `"1GiB"`.
    static func bytes(_ value: LuaValue) -> Int? {
        if case .integer(let count) = value { return count >= 0 ? Int(count) : nil }
        guard let text = value.text else { return nil }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let amount = Int(digits) else { return nil }
        let shift: Int
        switch text.dropFirst(digits.count) {
        case "", "B": shift = 0
        case "KiB": shift = 10
        case "MiB": shift = 20
        case "GiB": shift = 30
        default: return nil
        }
        guard amount <= (1 << 40) >> shift else { return nil }
        return amount << shift
    }

    /// A value as the author wrote it, for messages: strings quoted, tables named as such.
    static func shown(_ value: LuaValue) -> String {
        switch value {
        case .nil: "nil"
        case .boolean(let flag): String(flag)
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .string: "\"\(value.text.map { TextLimits.truncate($0, to: 80) } ?? "<binary>")\""
        case .table: "a table"
        case .opaque(let type): "a \(type)"
        }
    }
}
