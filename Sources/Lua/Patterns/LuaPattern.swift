/// Lua 5.4 patterns (reference manual §6.4.1) over bytes, with the semantics of `string.find`,
/// `string.match`, `string.gmatch` and `string.gsub` (§6.4), implemented in Swift so that the
/// sandbox can interrupt a runaway match: Lua's count hook cannot stop C code.
///
/// Every operation takes a `check` closure. The matcher counts its work in steps and, every
/// ``stepCheckInterval`` steps, calls `check` with the number of steps since the previous call;
/// when it returns false the operation throws ``LuaPatternError/interrupted``. Short matches
/// never call it.
///
/// Subjects and patterns are borrowed buffers of any bytes (embedded zeros included). Positions
/// in arguments and results follow Lua: 1-based, negative counts from the end.
public enum LuaPattern {
    /// Steps between two calls of an operation's `check` closure.
    public static let stepCheckInterval = 4096

    /// `string.find(subject, pattern, init, plain)`.
    ///
    /// A plain find, or a pattern without any of Lua's special characters `^$*+?.([%-`, is a
    /// substring search. Returns nil when there is no match or when `init` lies past the end.
    public static func find(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        init initial: Int = 1,
        plain: Bool = false,
        check: (_ steps: Int) -> Bool = { _ in true }
    ) throws(LuaPatternError) -> LuaPatternMatch? {
        let start = startOffset(initial, length: subject.count)
        guard start <= subject.count else { return nil }
        if plain || !hasSpecials(pattern) {
            return try plainFind(subject, pattern, from: start, check: check)
        }
        return try patternFind(subject, pattern, from: start, check: check)
    }

    /// `string.match(subject, pattern, init)`: the captures of the first match (the whole
    /// match when the pattern has none), or nil.
    public static func match(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        init initial: Int = 1,
        check: (_ steps: Int) -> Bool = { _ in true }
    ) throws(LuaPatternError) -> [LuaCapture]? {
        let start = startOffset(initial, length: subject.count)
        guard start <= subject.count else { return nil }
        return try patternFind(subject, pattern, from: start, check: check)?.values
    }

    /// The 0-based offset Lua starts at for the 1-based, possibly negative position `position`
    /// (`init` of find, match and gmatch). It may exceed `length`; callers decide what that means.
    public static func startOffset(_ position: Int, length: Int) -> Int {
        if position > 0 { return position - 1 }
        if position == 0 || position < -length { return 0 }
        return length + position
    }

    /// The first match at or after offset `start`; a leading `^` anchors it at `start`.
    static func patternFind(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        from start: Int,
        check: (Int) -> Bool
    ) throws(LuaPatternError) -> LuaPatternMatch? {
        let anchored = !pattern.isEmpty && pattern[0] == UInt8(ascii: "^")
        let patternStart = anchored ? 1 : 0
        return try LuaPatternMatcher.with(subject: subject, pattern: pattern, check: check) {
            (matcher) throws(LuaPatternError) -> LuaPatternMatch? in
            var s = start
            while true {
                if let end = try matcher.attempt(at: s, patternStart: patternStart) {
                    return LuaPatternMatch(range: s ..< end, captures: try matcher.captures())
                }
                s += 1
                if anchored || s > subject.count { return nil }
            }
        }
    }
}
