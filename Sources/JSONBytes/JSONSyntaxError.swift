/// What the shared JSON byte layer rejects, and where: the one escape and string policy every
/// reader of JSON in kubelua applies (see `JSONString`). Each reader turns it into its own error
/// (the informer's `JSONScanError`, the framer's `FramingError`, Lua's `LuaJSONError`).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The input ends inside a string (or inside one of its escapes).
        case unterminatedString
        /// A backslash followed by anything but `" \ / b f n r t u`.
        case invalidEscape(UInt8)
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A high surrogate not followed by an escaped low one, or a low one alone.
        case loneSurrogate(UInt32)
        /// A byte below 0x20 inside a string.
        case controlCharacter(UInt8)
        /// A byte that does not begin a well-formed UTF-8 sequence, inside a string.
        case invalidUTF8
        /// The input ends before an object or array closes.
        case unterminatedContainer
    }

    public let reason: Reason
    /// Byte offset of the fault: the backslash of an escape, the control or bad byte, the opening
    /// bracket of an unterminated container; for `unterminatedString`, the byte where the input
    /// ran out (readers that know where the string opened report that instead).
    public let offset: Int

    @inlinable
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The fault in words, without its position.
    public var message: String {
        switch reason {
        case .unterminatedString: "unterminated string"
        case .invalidEscape(let byte): "invalid escape \(Self.describeEscaped(byte)) in string"
        case .invalidUnicodeEscape: "invalid \\u escape in string"
        case .loneSurrogate(let unit): "lone surrogate \\u\(Self.hex4(unit)) in string"
        case .controlCharacter(let byte): "unescaped control character U+\(Self.hex4(UInt32(byte))) in string"
        case .invalidUTF8: "invalid UTF-8 in string"
        case .unterminatedContainer: "unterminated object or array"
        }
    }

    public var description: String { "\(message) at byte \(offset)" }

    /// `'\q'` for a printable byte after a backslash, its value in hex otherwise.
    static func describeEscaped(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\\\(Character(Unicode.Scalar(byte)))'" : "'\\' followed by byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
