/// The state of one `string.gmatch` iterator (Lua 5.4 semantics).
///
/// The state holds offsets only; the caller keeps the subject and pattern alive (as Lua keeps
/// them in the iterator's upvalues) and passes them to every ``next(_:_:check:)``.
/// A leading `^` is an ordinary character here, as in Lua, since anchoring would stop the
/// iteration.
public struct LuaGmatchState: Equatable, Sendable {
    /// Where the next search starts (0-based); past `subjectLength` when exhausted.
    public private(set) var position: Int
    /// The end of the previous match: an empty match there is skipped.
    public private(set) var lastMatchEnd: Int?

    /// `string.gmatch(subject, pattern, init)` for a subject of `subjectLength` bytes.
    public init(subjectLength: Int, init initial: Int = 1) {
        let start = LuaPattern.startOffset(initial, length: subjectLength)
        position = min(start, subjectLength + 1)
        lastMatchEnd = nil
    }

    /// Resumes an iteration whose offsets were stored elsewhere (the iterator's upvalues).
    public init(resumingAt position: Int, lastMatchEnd: Int?) {
        self.position = position
        self.lastMatchEnd = lastMatchEnd
    }

    /// The next match, or nil when there is none left. Its ``LuaPatternMatch/values`` are what
    /// the iterator returns to Lua.
    public mutating func next(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ pattern: UnsafeBufferPointer<UInt8>,
        check: (_ steps: Int) -> Bool = { _ in true }
    ) throws(LuaPatternError) -> LuaPatternMatch? {
        let from = position
        let skip = lastMatchEnd
        let found = try LuaPatternMatcher.with(subject: subject, pattern: pattern, check: check) {
            (matcher) throws(LuaPatternError) -> LuaPatternMatch? in
            var s = from
            while s <= subject.count {
                if let end = try matcher.attempt(at: s, patternStart: 0), end != skip {
                    return LuaPatternMatch(range: s ..< end, captures: try matcher.captures())
                }
                s += 1
            }
            return nil
        }
        if let found {
            position = found.range.upperBound
            lastMatchEnd = found.range.upperBound
        } else {
            position = subject.count + 1
        }
        return found
    }
}
