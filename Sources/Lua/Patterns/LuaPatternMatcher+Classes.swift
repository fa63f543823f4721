// Single-character items: `.`, `%x` classes and escapes, sets `[...]`, plain bytes. Classes
// follow the C locale: bytes 128...255 belong to no class.

extension LuaPatternMatcher {
    /// The index just past the single-character item at `p` (a quantifier may follow there),
    /// or `aborted` when the item is malformed.
    mutating func classEnd(_ p: Int) -> Int {
        var q = p + 1
        switch pattern[p] {
        case UInt8(ascii: "%"):
            guard q < pattern.count else { return fail(.endsWithEscape) }
            return q + 1
        case UInt8(ascii: "["):
            if q < pattern.count && pattern[q] == UInt8(ascii: "^") { q += 1 }
            // The first member is taken literally, so `[]...]` and `[^]...]` contain `]`.
            repeat {
                guard q < pattern.count else { return fail(.missingBracket) }
                let byte = pattern[q]
                q += 1
                if byte == UInt8(ascii: "%") && q < pattern.count { q += 1 }
            } while q >= pattern.count || pattern[q] != UInt8(ascii: "]")
            return q + 1
        default:
            return q
        }
    }

    /// Whether the subject byte at `s` matches the item `pattern[p ..< itemEnd]`; false too
    /// once the operation must stop.
    @inline(__always)
    mutating func singleMatch(_ s: Int, _ p: Int, _ itemEnd: Int) -> Bool {
        guard tick(), s < subject.count else { return false }
        let byte = subject[s]
        switch pattern[p] {
        case UInt8(ascii: "."): return true
        case UInt8(ascii: "%"): return Self.classContains(byte, pattern[p + 1])
        case UInt8(ascii: "["): return setContains(byte, p, itemEnd)
        case let literal: return literal == byte
        }
    }

    /// Whether `byte` is in the set `pattern[p ..< setEnd]`, which starts with `[` and ends
    /// with `]`.
    func setContains(_ byte: UInt8, _ p: Int, _ setEnd: Int) -> Bool {
        let close = setEnd - 1
        var i = p + 1
        var inside = true
        if pattern[i] == UInt8(ascii: "^") {
            inside = false
            i += 1
        }
        while i < close {
            let member = pattern[i]
            if member == UInt8(ascii: "%") {
                if Self.classContains(byte, pattern[i + 1]) { return inside }
                i += 2
            } else if i + 2 < close && pattern[i + 1] == UInt8(ascii: "-") {
                if member <= byte && byte <= pattern[i + 2] { return inside }
                i += 3
            } else {
                if member == byte { return inside }
                i += 1
            }
        }
        return !inside
    }

    /// Whether `byte` matches `%` followed by `letter`: a class when the letter names one
    /// (upper case for the complement), otherwise the letter itself.
    static func classContains(_ byte: UInt8, _ letter: UInt8) -> Bool {
        let member: Bool
        switch letter | 0x20 {
        case UInt8(ascii: "a"): member = isLetter(byte)
        case UInt8(ascii: "c"): member = byte < 0x20 || byte == 0x7F
        case UInt8(ascii: "d"): member = isDigit(byte)
        case UInt8(ascii: "g"): member = byte > 0x20 && byte < 0x7F
        case UInt8(ascii: "l"): member = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
        case UInt8(ascii: "p"): member = byte > 0x20 && byte < 0x7F && !isLetter(byte) && !isDigit(byte)
        case UInt8(ascii: "s"): member = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
        case UInt8(ascii: "u"): member = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
        case UInt8(ascii: "w"): member = isLetter(byte) || isDigit(byte)
        case UInt8(ascii: "x"):
            member = isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
        case UInt8(ascii: "z"): member = byte == 0 // deprecated in the manual, still in Lua 5.4
        default: return letter == byte
        }
        // Only ASCII letters fold onto a class letter with `| 0x20`; upper case complements.
        return letter >= UInt8(ascii: "a") ? member : !member
    }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
