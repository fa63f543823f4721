// Substring search for plain finds and for patterns with no special characters.

extension LuaPattern {
    /// Whether `pattern` contains a byte that makes it more than a literal for `string.find`.
    /// (`]` and `)` alone do not: `("a)"):find("a)")` is a plain search in Lua too.)
    static func hasSpecials(_ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in pattern {
            switch byte {
            case UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: "?"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: "["),
                 UInt8(ascii: "%"), UInt8(ascii: "-"):
                return true
            default:
                continue
            }
        }
        return false
    }

    /// The first occurrence of `needle` in `subject` at or after offset `start`; metered like
    /// a pattern match (one step per byte compared).
    static func plainFind(
        _ subject: UnsafeBufferPointer<UInt8>,
        _ needle: UnsafeBufferPointer<UInt8>,
        from start: Int,
        check: (Int) -> Bool
    ) throws(LuaPatternError) -> LuaPatternMatch? {
        guard !needle.isEmpty else { return LuaPatternMatch(range: start ..< start, captures: []) }
        guard needle.count <= subject.count - start else { return nil }
        let first = needle[0]
        let lastStart = subject.count - needle.count
        var countdown = stepCheckInterval
        var s = start
        while s <= lastStart {
            countdown &-= 1
            if subject[s] == first {
                var k = 1
                while k < needle.count && subject[s + k] == needle[k] { k += 1 }
                if k == needle.count { return LuaPatternMatch(range: s ..< s + k, captures: []) }
                countdown &-= k
            }
            if countdown <= 0 {
                let spent = stepCheckInterval - countdown
                countdown = stepCheckInterval
                if !check(spent) { throw .interrupted }
            }
            s += 1
        }
        return nil
    }
}
