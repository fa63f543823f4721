// `string.gsub` without the Lua state: the match loop and the replacement bookkeeping.

extension LuaPattern {
    /// The core of `string.gsub(subject, pattern, repl, n)`.
    ///
    /// Replaces up to `maxReplacements` matches (default: all; zero or negative: none), with
    /// Lua 5.4's rule that an empty match right where the previous match ended is skipped. For
    /// each match, `replace` either appends the replacement to `output` and returns true, or
    /// returns false (leaving `output` alone) to keep the matched text. Errors thrown by
    /// `replace` propagate unchanged; the operation's own errors are ``LuaPatternError``.
    /// The result may not grow past `maxOutput` bytes (``LuaPatternError/outputTooLarge``).
    public static func gsub(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        maxReplacements: Int? = nil,
        maxOutput: Int = .max,
        check: (_ steps: Int) -> Bool = { _ in true },
        replace: (_ match: borrowing LuaPatternMatchView, _ output: inout [UInt8]) throws -> Bool
    ) throws -> LuaSubstitution {
        try substitute(subject, pattern, maxReplacements: maxReplacements, maxOutput: maxOutput, check: check, replace: replace) { $0 }
    }

    /// The gsub loop, throwing the closure's error type `E`; `wrap` turns the matcher's own
    /// errors into `E`.
    static func substitute<E: Error>(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        maxReplacements: Int?,
        maxOutput: Int,
        check: (Int) -> Bool,
        replace: (borrowing LuaPatternMatchView, inout [UInt8]) throws(E) -> Bool,
        wrap: (LuaPatternError) -> E
    ) throws(E) -> LuaSubstitution {
        let limit = maxReplacements ?? subject.count + 1
        let anchored = !pattern.isEmpty && pattern[0] == UInt8(ascii: "^")
        let patternStart = anchored ? 1 : 0
        return try LuaPatternMatcher.with(subject: subject, pattern: pattern, check: check) {
            (matcher) throws(E) -> LuaSubstitution in
            var output: [UInt8] = []
            var changed = false
            var copied = 0 // subject bytes before this offset are in `output` already
            var count = 0
            var s = 0
            var lastMatchEnd: Int? = nil
            while count < limit {
                let found: Int?
                do throws(LuaPatternError) {
                    found = try matcher.attempt(at: s, patternStart: patternStart)
                } catch {
                    throw wrap(error)
                }
                if let end = found, end != lastMatchEnd {
                    count += 1
                    if copied < s {
                        if output.isEmpty { output.reserveCapacity(subject.count) }
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: subject[copied ..< s]))
                        copied = s
                    }
                    let view = LuaPatternMatchView(subject: subject, range: s ..< end, matcher: matcher)
                    if try replace(view, &output) {
                        changed = true
                        copied = end
                    }
                    guard output.count <= maxOutput else { throw wrap(.outputTooLarge) }
                    s = end
                    lastMatchEnd = end
                } else if s < subject.count {
                    s += 1
                } else {
                    break
                }
                if anchored { break }
            }
            guard changed else { return LuaSubstitution(bytes: nil, count: count) }
            guard output.count + (subject.count - copied) <= maxOutput else { throw wrap(.outputTooLarge) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: subject[copied ..< subject.count]))
            return LuaSubstitution(bytes: output, count: count)
        }
    }

    /// `string.gsub` with a replacement string (`%0`...`%9`, `%%`).
    public static func gsub(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        template: UnsafeBufferPointer<UInt8>,
        maxReplacements: Int? = nil,
        maxOutput: Int = .max,
        check: (_ steps: Int) -> Bool = { _ in true }
    ) throws(LuaPatternError) -> LuaSubstitution {
        try substitute(subject, pattern, maxReplacements: maxReplacements, maxOutput: maxOutput, check: check, replace: {
            (match, output) throws(LuaPatternError) -> Bool in
            try match.expand(template, into: &output, maxOutput: maxOutput)
            return true
        }, wrap: { $0 })
    }

    /// `string.gsub` with a closure that returns each replacement (the shape of Lua's table and
    /// function replacements); allocates one array per replaced match.
    public static func gsub(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        maxReplacements: Int? = nil,
        maxOutput: Int = .max,
        check: (_ steps: Int) -> Bool = { _ in true },
        replacement: (_ match: borrowing LuaPatternMatchView) throws -> LuaReplacement
    ) throws -> LuaSubstitution {
        try gsub(subject, pattern, maxReplacements: maxReplacements, maxOutput: maxOutput, check: check) { match, output in
            switch try replacement(match) {
            case .keep:
                return false
            case .bytes(let bytes):
                output.append(contentsOf: bytes)
                return true
            }
        }
    }
}
