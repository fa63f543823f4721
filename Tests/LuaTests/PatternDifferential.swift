/// Runs the same calls through Lua and through the Swift matcher and records every difference.
final class PatternDifferential {
    let oracle = LuaOracle()
    private(set) var comparisons = 0
    private(set) var failures: [String] = []

    private func compare(_ call: String, _ lua: LuaTestOutcome, _ swift: LuaTestOutcome) {
        comparisons += 1
        if lua != swift && failures.count < 30 {
            failures.append("\(call)\n  lua:   \(lua)\n  swift: \(swift)")
        }
    }

    private func arg(_ initial: Int?) -> LuaTestValue { initial.map(LuaTestValue.int) ?? .nil }

    func find(_ s: [UInt8], _ p: [UInt8], init initial: Int? = nil, plain: Bool = false) {
        compare(
            "find(\(quoted(s)), \(quoted(p)), \(arg(initial)), \(plain))",
            oracle.call("find", [.bytes(s), .bytes(p), arg(initial), .bool(plain)]),
            SwiftPatterns.find(s, p, init: initial, plain: plain))
    }

    func match(_ s: [UInt8], _ p: [UInt8], init initial: Int? = nil) {
        compare(
            "match(\(quoted(s)), \(quoted(p)), \(arg(initial)))",
            oracle.call("match", [.bytes(s), .bytes(p), arg(initial)]),
            SwiftPatterns.match(s, p, init: initial))
    }

    func gmatch(_ s: [UInt8], _ p: [UInt8], init initial: Int? = nil) {
        compare(
            "gmatch(\(quoted(s)), \(quoted(p)), \(arg(initial)))",
            oracle.call("gmatch", [.bytes(s), .bytes(p), arg(initial)]),
            SwiftPatterns.gmatch(s, p, init: initial))
    }

    func gsub(_ s: [UInt8], _ p: [UInt8], _ template: [UInt8], n: Int? = nil) {
        compare(
            "gsub(\(quoted(s)), \(quoted(p)), \(quoted(template)), \(arg(n)))",
            oracle.call("gsub", [.bytes(s), .bytes(p), .bytes(template), arg(n)]),
            SwiftPatterns.gsub(s, p, template: template, n: n))
    }

    func gsubFunction(_ s: [UInt8], _ p: [UInt8], n: Int? = nil) {
        compare(
            "gsub(\(quoted(s)), \(quoted(p)), function, \(arg(n)))",
            oracle.call("gsubf", [.bytes(s), .bytes(p), arg(n)]),
            SwiftPatterns.gsubFunction(s, p, n: n))
    }

    func gsubTable(_ s: [UInt8], _ p: [UInt8], n: Int? = nil) {
        compare(
            "gsub(\(quoted(s)), \(quoted(p)), table, \(arg(n)))",
            oracle.call("gsubt", [.bytes(s), .bytes(p), arg(n)]),
            SwiftPatterns.gsubTable(s, p, n: n))
    }

    /// find, plain find, match and gmatch of one subject and pattern from one `init`.
    func everySearch(_ s: [UInt8], _ p: [UInt8], init initial: Int? = nil) {
        find(s, p, init: initial)
        find(s, p, init: initial, plain: true)
        match(s, p, init: initial)
        gmatch(s, p, init: initial)
    }

    /// Every gsub flavour of one subject and pattern.
    func everyGsub(_ s: [UInt8], _ p: [UInt8], template: [UInt8], n: Int? = nil) {
        gsub(s, p, template, n: n)
        gsubFunction(s, p, n: n)
        gsubTable(s, p, n: n)
    }
}
