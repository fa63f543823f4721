/// The outcome of `gsub`.
public struct LuaSubstitution: Equatable, Sendable {
    /// The new string, or nil when no match was replaced (Lua then returns the subject itself).
    public var bytes: [UInt8]?
    /// The number of matches, including those whose replacement kept the original text.
    public var count: Int

    public init(bytes: [UInt8]?, count: Int) {
        self.bytes = bytes
        self.count = count
    }
}

/// What a replacement closure decides for one match.
public enum LuaReplacement: Equatable, Sendable {
    /// Keep the matched text (Lua: the table or function gave false or nil).
    case keep
    /// Replace the match with these bytes.
    case bytes([UInt8])
}
