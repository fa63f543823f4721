// The recursive walk over pattern items. Recursion happens exactly where it must keep a
// backtracking point: entering or leaving a capture, and trying the rest of the pattern after
// a quantified item. Everything else advances in the loop, so the nesting depth (limited to
// `maxDepth`, as in Lua) grows with the number of captures and quantifiers, not with the
// subject's length.
//
// Every function here returns an end offset (>= 0), `noMatch`, or `aborted`; a caller passes
// anything but `noMatch` straight up.

private let asciiZero = UInt8(ascii: "0")
private let asciiOne = UInt8(ascii: "1")
private let asciiNine = UInt8(ascii: "9")

extension LuaPatternMatcher {
    /// Matches `pattern[p...]` against `subject[s...]`.
    mutating func match(_ start: Int, _ patternIndex: Int, depth: Int) -> Int {
        guard depth <= Self.maxDepth else { return fail(.patternTooComplex) }
        guard tick() else { return Self.aborted }
        var s = start
        var p = patternIndex
        while p < pattern.count {
            switch pattern[p] {
            case UInt8(ascii: "("):
                if p + 1 < pattern.count && pattern[p + 1] == UInt8(ascii: ")") {
                    return startCapture(s, length: Self.positionLength, resume: p + 2, depth: depth)
                }
                return startCapture(s, length: Self.openLength, resume: p + 1, depth: depth)

            case UInt8(ascii: ")"):
                return endCapture(s, resume: p + 1, depth: depth)

            case UInt8(ascii: "$") where p + 1 == pattern.count:
                return s == subject.count ? s : Self.noMatch

            case UInt8(ascii: "%") where p + 1 < pattern.count && pattern[p + 1] == UInt8(ascii: "b"):
                let end = balanced(s, p + 2)
                guard end >= 0 else { return end }
                s = end
                p += 4

            case UInt8(ascii: "%") where p + 1 < pattern.count && pattern[p + 1] == UInt8(ascii: "f"):
                let setEnd = frontier(s, p + 2)
                guard setEnd >= 0 else { return setEnd }
                p = setEnd

            case UInt8(ascii: "%")
            where p + 1 < pattern.count && (asciiZero ... asciiNine).contains(pattern[p + 1]):
                let end = backReference(s, Int(pattern[p + 1]) - Int(asciiOne))
                guard end >= 0 else { return end }
                s = end
                p += 2

            default:
                let itemEnd = classEnd(p)
                guard itemEnd >= 0 else { return itemEnd }
                let suffix = itemEnd < pattern.count ? pattern[itemEnd] : 0
                guard singleMatch(s, p, itemEnd) else {
                    // Zero repetitions are still possible: go on without a backtracking point.
                    switch suffix {
                    case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "-"):
                        p = itemEnd + 1
                        continue
                    default:
                        return Self.noMatch
                    }
                }
                switch suffix {
                case UInt8(ascii: "?"):
                    let end = match(s + 1, itemEnd + 1, depth: depth + 1)
                    if end != Self.noMatch { return end }
                    p = itemEnd + 1
                case UInt8(ascii: "+"):
                    return longest(s + 1, p, itemEnd, depth: depth)
                case UInt8(ascii: "*"):
                    return longest(s, p, itemEnd, depth: depth)
                case UInt8(ascii: "-"):
                    return shortest(s, p, itemEnd, depth: depth)
                default:
                    s += 1
                    p = itemEnd
                }
            }
        }
        return s
    }

    /// Greedy repetition: takes as many items as match from `s`, then gives them back one by
    /// one until the rest of the pattern matches.
    @inline(never)
    private mutating func longest(_ s: Int, _ p: Int, _ itemEnd: Int, depth: Int) -> Int {
        var count = 0
        while singleMatch(s + count, p, itemEnd) { count += 1 }
        while count >= 0 {
            let end = match(s + count, itemEnd + 1, depth: depth + 1)
            if end != Self.noMatch { return end }
            count -= 1
        }
        return Self.noMatch
    }

    /// Lazy repetition: tries the rest of the pattern first, taking one more item each time it
    /// fails.
    @inline(never)
    private mutating func shortest(_ start: Int, _ p: Int, _ itemEnd: Int, depth: Int) -> Int {
        var s = start
        while true {
            let end = match(s, itemEnd + 1, depth: depth + 1)
            if end != Self.noMatch { return end }
            guard singleMatch(s, p, itemEnd) else { return Self.noMatch }
            s += 1
        }
    }

    @inline(never)
    private mutating func startCapture(_ s: Int, length: Int, resume: Int, depth: Int) -> Int {
        guard level < Self.maxCaptures else { return fail(.tooManyCaptures) }
        slots[level] = Slot(start: s, length: length)
        level += 1
        let end = match(s, resume, depth: depth + 1)
        if end == Self.noMatch { level -= 1 }
        return end
    }

    /// Closes the innermost capture still open.
    @inline(never)
    private mutating func endCapture(_ s: Int, resume: Int, depth: Int) -> Int {
        var index = level - 1
        while index >= 0 && slots[index].length != Self.openLength { index -= 1 }
        guard index >= 0 else { return fail(.invalidPatternCapture) }
        slots[index].length = s - slots[index].start
        let end = match(s, resume, depth: depth + 1)
        if end == Self.noMatch { slots[index].length = Self.openLength }
        return end
    }

    /// `%bxy` with `x` at `pattern[p]`: a balanced run starting at `s`.
    @inline(never)
    private mutating func balanced(_ s: Int, _ p: Int) -> Int {
        guard p + 1 < pattern.count else { return fail(.missingBalanceArguments) }
        let open = pattern[p]
        let close = pattern[p + 1]
        guard s < subject.count, subject[s] == open else { return Self.noMatch }
        var nesting = 1
        var i = s + 1
        while i < subject.count {
            guard tick() else { return Self.aborted }
            let byte = subject[i]
            if byte == close {
                nesting -= 1
                if nesting == 0 { return i + 1 }
            } else if byte == open {
                nesting += 1
            }
            i += 1
        }
        return Self.noMatch
    }

    /// `%f[set]` with the set at `pattern[p]`: matches (empty) where the previous byte (zero at
    /// the subject's start) is outside the set and the next one (zero at its end) inside.
    /// Returns the pattern index after the set.
    @inline(never)
    private mutating func frontier(_ s: Int, _ p: Int) -> Int {
        guard p < pattern.count, pattern[p] == UInt8(ascii: "[") else { return fail(.missingFrontierSet) }
        let setEnd = classEnd(p)
        guard setEnd >= 0 else { return setEnd }
        let before = s == 0 ? 0 : subject[s - 1]
        let here = s < subject.count ? subject[s] : 0
        guard !setContains(before, p, setEnd), setContains(here, p, setEnd) else { return Self.noMatch }
        return setEnd
    }

    /// `%N` with `index` = N - 1: the text of a closed capture again. A position capture has
    /// no text and never matches (as in Lua).
    @inline(never)
    private mutating func backReference(_ s: Int, _ index: Int) -> Int {
        guard index >= 0, index < level, slots[index].length != Self.openLength else {
            return fail(.invalidCaptureIndex(index + 1))
        }
        let slot = slots[index]
        guard slot.length >= 0, subject.count - s >= slot.length else { return Self.noMatch }
        guard tick(slot.length) else { return Self.aborted }
        for offset in 0 ..< slot.length where subject[slot.start + offset] != subject[s + offset] {
            return Self.noMatch
        }
        return s + slot.length
    }
}
