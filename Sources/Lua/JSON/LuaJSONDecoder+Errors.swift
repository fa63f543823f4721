import JSONBytes

/// Error construction, kept out of line: positions are computed only when something fails, by
/// rescanning the input up to the offset.
extension LuaJSONDecoder {
    @inline(never)
    func syntaxError(_ what: String, at offset: Int, kind: LuaJSONError.Kind = .syntax) -> LuaJSONError {
        let (line, column) = location(of: offset)
        return LuaJSONError(
            kind: kind,
            message: "\(what) at line \(line), column \(column) (offset \(offset))",
            line: line, column: column, offset: offset
        )
    }

    /// 1-based line and column of a byte offset; columns count characters, not bytes.
    func location(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for i in 0..<min(offset, end) {
            let c = bytes[i]
            if c == 0x0A {
                line += 1
                column = 1
            } else if !UTF8Validation.isContinuation(c) {
                column += 1
            }
        }
        return (line, column)
    }

    func unexpectedCharacter() -> LuaJSONError {
        syntaxError("unexpected \(describeCharacter(at: pos))", at: pos)
    }

    func unexpectedEnd(at offset: Int? = nil) -> LuaJSONError {
        syntaxError("unexpected end of input", at: offset ?? pos)
    }

    func trailingCharacters() -> LuaJSONError {
        syntaxError("trailing characters after the document", at: pos)
    }

    func unterminatedString(at open: Int) -> LuaJSONError {
        syntaxError("unterminated string", at: open)
    }

    func controlCharacter(at offset: Int) -> LuaJSONError {
        syntaxError("unescaped control character \(hexScalar(UInt32(bytes[offset]))) in string", at: offset)
    }

    func invalidUTF8(at offset: Int) -> LuaJSONError {
        syntaxError("invalid UTF-8 in string", at: offset)
    }

    func invalidEscape(at offset: Int) -> LuaJSONError {
        syntaxError("invalid escape \(describeEscape(at: offset)) in string", at: offset)
    }

    func invalidUnicodeEscape(at offset: Int) -> LuaJSONError {
        syntaxError("invalid \\u escape in string", at: offset)
    }

    func loneSurrogate(_ scalar: UInt32, at offset: Int) -> LuaJSONError {
        syntaxError("lone surrogate \\u\(hexDigits(scalar)) in string", at: offset)
    }

    /// A fault the shared layer found in a string (or, stepping over a container, its end), as
    /// this decoder reports it; `open` is where the string opened, when known.
    func stringError(_ error: JSONSyntaxError, stringOpenedAt open: Int?) -> LuaJSONError {
        switch error.reason {
        case .unterminatedString: unterminatedString(at: open ?? error.offset)
        case .invalidEscape: invalidEscape(at: error.offset)
        case .invalidUnicodeEscape: invalidUnicodeEscape(at: error.offset)
        case .loneSurrogate(let unit): loneSurrogate(unit, at: error.offset)
        case .controlCharacter: controlCharacter(at: error.offset)
        case .invalidUTF8: invalidUTF8(at: error.offset)
        case .unterminatedContainer: unexpectedEnd(at: end)
        }
    }

    func invalidNumber(at offset: Int) -> LuaJSONError {
        syntaxError("invalid number", at: offset)
    }

    func leadingZero(at offset: Int) -> LuaJSONError {
        syntaxError("invalid number (leading zero)", at: offset)
    }

    func tooDeep() -> LuaJSONError {
        syntaxError("nesting deeper than \(maxDepth)", at: pos, kind: .tooDeep)
    }

    func stackExhausted() -> LuaJSONError {
        syntaxError("document too large for the Lua stack", at: pos, kind: .stackOverflow)
    }

    /// Same words as Lua's own memory error, so scripts see one message either way.
    func outOfMemory() -> LuaJSONError {
        let (line, column) = location(of: pos)
        return LuaJSONError(kind: .outOfMemory, message: "not enough memory", line: line, column: column, offset: pos)
    }

    // MARK: Describing input

    /// `'x'` for a printable character (decoded when it is valid UTF-8), a code point for a
    /// control character, the raw byte otherwise.
    func describeCharacter(at offset: Int) -> String {
        let c = bytes[offset]
        if c >= 0x21 && c < 0x7F { return "character '\(Character(Unicode.Scalar(c)))'" }
        if c < 0x80 { return "character \(hexScalar(UInt32(c)))" }
        let length = UTF8Validation.sequenceLength(bytes, at: offset, count: end)
        if length == 0 { return "byte 0x\(String(c, radix: 16, uppercase: true))" }
        let text = String(decoding: UnsafeBufferPointer(start: bytes + offset, count: length), as: UTF8.self)
        return "character '\(text)'"
    }

    func describeEscape(at offset: Int) -> String {
        guard offset + 1 < end else { return "'\\'" }
        let c = bytes[offset + 1]
        if c >= 0x21 && c < 0x7F { return "'\\\(Character(Unicode.Scalar(c)))'" }
        return "'\\' followed by \(describeCharacter(at: offset + 1))"
    }

    func hexScalar(_ value: UInt32) -> String {
        "U+" + hexDigits(value)
    }

    func hexDigits(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
