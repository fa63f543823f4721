/// One value a pattern match produces: a captured substring or a position capture `()`.
public enum LuaCapture: Equatable, Hashable, Sendable {
    /// A substring of the subject, as 0-based byte offsets.
    case range(Range<Int>)
    /// A position capture: the 1-based position Lua returns for `()`.
    case position(Int)
}
