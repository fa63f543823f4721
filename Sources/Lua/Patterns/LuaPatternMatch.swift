/// A successful match, detached from the subject.
public struct LuaPatternMatch: Equatable, Sendable {
    /// The whole match, as 0-based byte offsets into the subject.
    public var range: Range<Int>
    /// The pattern's captures in order; empty when the pattern has none.
    public var captures: [LuaCapture]

    public init(range: Range<Int>, captures: [LuaCapture]) {
        self.range = range
        self.captures = captures
    }

    /// The 1-based start position `string.find` returns.
    public var start: Int { range.lowerBound + 1 }

    /// The 1-based inclusive end position `string.find` returns.
    public var end: Int { range.upperBound }

    /// What `string.match` and `string.gmatch` return: the captures, or the whole match when
    /// the pattern has none.
    public var values: [LuaCapture] { captures.isEmpty ? [.range(range)] : captures }
}
