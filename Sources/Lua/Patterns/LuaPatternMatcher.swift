/// The backtracking engine behind every pattern operation: one instance serves one call of
/// find, match, gsub or one step of gmatch, and may try the pattern at many subject offsets.
///
/// It works on borrowed buffers and a borrowed capture array, so matching allocates nothing.
/// Every unit of work (entering a pattern position, testing one subject byte against a single
/// character class, comparing one byte of a back-reference or `%b` scan) costs one step; every
/// ``LuaPattern/stepCheckInterval`` steps it asks the caller's check whether to go on.
struct LuaPatternMatcher {
    /// One capture slot: where it starts and its length, or one of the markers below.
    struct Slot {
        var start: Int
        var length: Int
    }

    /// What the recursive matcher returns when the rest of the pattern does not match here.
    static let noMatch = -1
    /// What it returns once `failure` is set: an error or an interruption ends the whole
    /// operation, so every level returns at once instead of trying alternatives.
    static let aborted = -2

    /// `Slot.length` of a capture whose `)` has not been reached yet.
    static let openLength = -1
    /// `Slot.length` of a position capture `()`.
    static let positionLength = -2
    static let maxCaptures = 32
    /// Nesting limit of the matcher's recursion, the same as Lua's (MAXCCALLS).
    static let maxDepth = 200

    let subject: UnsafeBufferPointer<UInt8>
    let pattern: UnsafeBufferPointer<UInt8>
    let slots: UnsafeMutableBufferPointer<Slot>
    /// Captures started in the current attempt.
    var level = 0
    /// Steps left before the next call of `check`.
    var countdown = LuaPattern.stepCheckInterval
    /// Set when the operation must stop; ``attempt(at:patternStart:)`` throws it. (Errors travel
    /// as ``aborted`` results rather than Swift throws inside the recursion: that keeps each
    /// level's stack frame small, which matters at 200 levels.)
    var failure: LuaPatternError?
    let check: (Int) -> Bool

    /// Runs `body` with a matcher whose capture slots live on the stack.
    static func with<R, E: Error>(
        subject: UnsafeBufferPointer<UInt8>,
        pattern: UnsafeBufferPointer<UInt8>,
        check: (Int) -> Bool,
        _ body: (inout LuaPatternMatcher) throws(E) -> R
    ) throws(E) -> R {
        try withoutActuallyEscaping(check) { (check) throws(E) -> R in
            try withUnsafeTemporaryAllocation(of: Slot.self, capacity: maxCaptures) {
                (slots) throws(E) -> R in
                var matcher = LuaPatternMatcher(subject: subject, pattern: pattern, slots: slots, check: check)
                return try body(&matcher)
            }
        }
    }

    /// Tries the pattern from `patternStart` at subject offset `start`, with no captures.
    /// Returns the end offset of the match.
    mutating func attempt(at start: Int, patternStart: Int) throws(LuaPatternError) -> Int? {
        level = 0
        let end = match(start, patternStart, depth: 1)
        if let failure { throw failure }
        return end >= 0 ? end : nil
    }

    /// Records why matching stops and returns ``aborted``, which every level passes upwards.
    mutating func fail(_ error: LuaPatternError) -> Int {
        if failure == nil { failure = error }
        return Self.aborted
    }

    /// Accounts for `cost` steps, asking the caller whether to go on once an interval is spent.
    /// Returns false once the operation must stop; from then on it keeps returning false.
    @inline(__always)
    mutating func tick(_ cost: Int = 1) -> Bool {
        countdown &-= cost
        return countdown > 0 || checkpoint()
    }

    @inline(never)
    mutating func checkpoint() -> Bool {
        guard failure == nil else { return false }
        let spent = LuaPattern.stepCheckInterval - countdown
        countdown = LuaPattern.stepCheckInterval
        if check(spent) { return true }
        failure = .interrupted
        countdown = 0
        return false
    }

    /// The explicit captures of the last successful attempt.
    func captures() throws(LuaPatternError) -> [LuaCapture] {
        guard level > 0 else { return [] }
        var result: [LuaCapture] = []
        result.reserveCapacity(level)
        for index in 0 ..< level {
            result.append(try slots[index].value())
        }
        return result
    }
}

extension LuaPatternMatcher.Slot {
    /// The capture this slot holds; an unfinished capture is an error once its value is needed.
    func value() throws(LuaPatternError) -> LuaCapture {
        switch length {
        case LuaPatternMatcher.openLength: throw .unfinishedCapture
        case LuaPatternMatcher.positionLength: return .position(start + 1)
        default: return .range(start ..< start + length)
        }
    }
}
