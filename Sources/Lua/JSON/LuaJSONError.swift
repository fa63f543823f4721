/// Why a JSON conversion failed. One typed error for both directions so callers can turn it into
/// a single Lua error message; the structured fields let the runtime log where it happened.
public struct LuaJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The input is not valid JSON (decoding).
        case syntax
        /// Nesting deeper than the limit (decoding and encoding; the encoder's limit also stops cycles).
        case tooDeep
        /// The memory check reported the state over its cap (decoding), or the text grew past
        /// the room left under it (encoding).
        case outOfMemory
        /// The call's budget or deadline ran out while encoding.
        case interrupted
        /// The Lua stack could not grow (decoding and encoding).
        case stackOverflow
        /// A Lua value that has no JSON form (encoding).
        case unencodable
    }

    public let kind: Kind
    /// The complete message, position or path included, ready to raise as a Lua error.
    public let message: String
    /// Decoding: 1-based line and column (in characters) and 0-based byte offset of the problem.
    public let line: Int?
    public let column: Int?
    public let offset: Int?
    /// Encoding: where the offending value sits, e.g. `$.spec.containers[2].x`.
    public let path: String?

    init(kind: Kind, message: String, line: Int? = nil, column: Int? = nil, offset: Int? = nil, path: String? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path
    }

    public var description: String { message }
}
