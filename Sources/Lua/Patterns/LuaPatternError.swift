/// Why a Lua pattern operation failed.
///
/// `description` is the message Lua 5.4.4 raises for the same condition, so the bridge can
/// raise it unchanged. Like Lua, the matcher reports a malformed part of the pattern only when
/// matching actually reaches it (`("x"):find("y[")` fails quietly), so scripts see the same
/// errors, or the same absence of errors, as with Lua's own string library.
public enum LuaPatternError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pattern ends with a lone `%`.
    case endsWithEscape
    /// A set `[...]` has no closing `]`.
    case missingBracket
    /// `%f` is not followed by `[`.
    case missingFrontierSet
    /// `%b` is not followed by two characters.
    case missingBalanceArguments
    /// A back-reference `%N` (or `%N` in a replacement string) names no usable capture.
    case invalidCaptureIndex(Int)
    /// A `)` closes no open capture.
    case invalidPatternCapture
    /// A match succeeded while a capture was still open, and its value was requested.
    case unfinishedCapture
    /// More than 32 captures.
    case tooManyCaptures
    /// The matcher recursed more than 200 levels deep.
    case patternTooComplex
    /// A replacement string has `%` followed by something other than a digit or `%`.
    case invalidReplacementEscape
    /// The caller's step check returned false.
    case interrupted
    /// A `gsub` result grew past the caller's `maxOutput`.
    case outputTooLarge

    public var description: String {
        switch self {
        case .endsWithEscape: "malformed pattern (ends with '%')"
        case .missingBracket: "malformed pattern (missing ']')"
        case .missingFrontierSet: "missing '[' after '%f' in pattern"
        case .missingBalanceArguments: "malformed pattern (missing arguments to '%b')"
        case .invalidCaptureIndex(let index): "invalid capture index %\(index)"
        case .invalidPatternCapture: "invalid pattern capture"
        case .unfinishedCapture: "unfinished capture"
        case .tooManyCaptures: "too many captures"
        case .patternTooComplex: "pattern too complex"
        case .invalidReplacementEscape: "invalid use of '%' in replacement string"
        case .interrupted: "pattern matching interrupted"
        case .outputTooLarge: "result too large"
        }
    }
}
