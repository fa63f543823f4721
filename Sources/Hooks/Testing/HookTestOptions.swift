import Foundation
import Lua
import Selectors

/// What a test case's `options.txt` sets: the command-line options `kubelua replay` would be
/// given, one `key = value` a line (`#` starts a comment line):
///
/// ```
/// clock = 2026-05-01T12:00:00Z        # where the virtual clock starts (RFC 3339)
/// advance = 2h                        # how far it moves on after the last event
/// env SLACK_WEBHOOK_URL = https://hooks.slack.com/services/T0/B0/X   # seen by os.getenv
/// selector = app=web                  # -l: only pods with these labels
/// keep-managed-fields = true           # as `--keep-managed-fields`
/// dry-run = true                      # ctx.dry_run
/// allow-cluster-read = nodes          # repeatable
/// time-limit = 5                      # seconds (default 30); also instruction-limit, memory-limit (MiB)
/// ```
///
/// Environment variables come from the file only, never from the process: a case prints the
/// same lines on every machine.
public struct HookTestOptions: Sendable {
    public var clock = "2026-01-01T00:00:00Z"
    public var advance = Duration.zero
    public var environment: [String: String] = [:]
    public var selector = LabelSelector()
    /// `run`'s default: metadata.managedFields dropped unless a hook's reads name them.
    public var stripManagedFields = true
    public var dryRun = false
    public var clusterReads: [String] = []
    /// `run`'s limits, but a wall-clock deadline a busy CI machine does not reach: a case's
    /// result must not depend on the machine's load, and the instruction limit still stops a
    /// runaway loop the same way on every machine.
    public var limits = LuaSandboxLimits(timePerCall: .seconds(30))

    public init() {}

    static let keys = [
        "clock", "advance", "env NAME", "selector", "keep-managed-fields", "strip-managed-fields", "dry-run", "allow-cluster-read", "time-limit",
        "instruction-limit", "memory-limit",
    ]

    /// The clock's start in seconds since 1970.
    public var wallStart: Double { ISO8601DateFormatter().date(from: clock)!.timeIntervalSince1970 }

    /// Reads an options file; errors name the file, the line and the key.
    public init(file: String, text: String) throws(HookTestError) {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let at = "\(file):\(index + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                throw HookTestError("\(at): expected `key = value`, such as `advance = 90s`; got `\(line)`")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            try set(key, value, at: at)
        }
    }

    private mutating func set(_ key: String, _ value: String, at: String) throws(HookTestError) {
        func fail(_ expected: String) -> HookTestError { HookTestError("\(at): \(key): expected \(expected), got '\(value)'") }
        switch key {
        case "clock":
            guard ISO8601DateFormatter().date(from: value) != nil else { throw fail("an RFC 3339 time such as 2026-05-01T12:00:00Z") }
            clock = value
        case "advance":
            guard let duration = SettingText.duration(value) else { throw fail("a duration such as 90s, 5m, 2h or 1h30m") }
            advance = duration
        case "selector":
            do {
                selector = try LabelSelector(parsing: value)
            } catch {
                throw HookTestError("\(at): selector: \(error)")
            }
        case "keep-managed-fields", "strip-managed-fields", "dry-run":
            guard let flag = ["true": true, "false": false][value] else { throw fail("true or false") }
            switch key {
            case "dry-run": dryRun = flag
            case "keep-managed-fields": stripManagedFields = !flag
            default: stripManagedFields = flag
            }
        case "allow-cluster-read":
            guard !value.isEmpty, !value.contains(" ") else { throw fail("a resource such as nodes") }
            clusterReads.append(value)
        case "time-limit":
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else { throw fail("a positive number of seconds") }
            limits.timePerCall = .milliseconds(Int64(seconds * 1000))
        case "instruction-limit", "memory-limit":
            guard let amount = Int(value), amount > 0 else { throw fail(key == "memory-limit" ? "a positive number of MiB" : "a positive whole number") }
            if key == "memory-limit" { limits.memory = amount << 20 } else { limits.instructionsPerCall = amount }
        default:
            let words = key.split(separator: " ")
            if words.count == 2, words[0] == "env" {
                environment[String(words[1])] = value
                return
            }
            let known = Self.keys
            let near = known.min { HookLint.editDistance(key, $0) < HookLint.editDistance(key, $1) }
            let hint = near.map { HookLint.editDistance(key, $0) <= 3 ? " (did you mean '\($0)'?)" : "" } ?? ""
            throw HookTestError("\(at): unknown key '\(key)'\(hint); the keys are \(known.joined(separator: ", "))")
        }
    }
}
