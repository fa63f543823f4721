/// The words and symbols of Lua source, without comments, and literals as placeholders: enough
/// for `kubelua check` to find which names a script reads. Not a parser: it does not know scopes.
struct LuaTokens {
    struct Token: Equatable {
        enum Kind: Equatable { case name, symbol, literal }
        let kind: Kind
        /// Empty for literals, so a string holding `=` is never taken for the symbol.
        let text: String
        let line: Int
        /// A short string literal's contents as written (escapes not decoded): the module name
        /// of `require("a.b")`.
        var string: String? = nil
    }

    private(set) var tokens: [Token] = []

    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil", "not",
        "or", "repeat", "return", "then", "true", "until", "while",
    ]

    init(_ source: [UInt8]) {
        var i = 0, line = 1
        let count = source.count
        func at(_ index: Int) -> UInt8 { index < count ? source[index] : 0 }
        func isNameStart(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F }
        func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        /// Skips a long bracket `[==[ ... ]==]` starting at `i`; false when it is not one.
        func skipLongBracket() -> Bool {
            var j = i + 1, level = 0
            while at(j) == UInt8(ascii: "=") { j += 1; level += 1 }
            guard at(j) == UInt8(ascii: "[") else { return false }
            j += 1
            while j < count {
                if source[j] == 0x0A { line += 1 }
                if source[j] == UInt8(ascii: "]") {
                    var k = j + 1, closing = 0
                    while at(k) == UInt8(ascii: "=") { k += 1; closing += 1 }
                    if closing == level && at(k) == UInt8(ascii: "]") {
                        i = k + 1
                        return true
                    }
                }
                j += 1
            }
            i = count
            return true
        }
        while i < count {
            let byte = source[i]
            if byte == 0x0A {
                line += 1
                i += 1
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                i += 1
            } else if byte == UInt8(ascii: "-") && at(i + 1) == UInt8(ascii: "-") {
                i += 2
                if at(i) == UInt8(ascii: "["), skipLongBracket() { continue }
                while i < count && source[i] != 0x0A { i += 1 }
            } else if byte == UInt8(ascii: "[") && (at(i + 1) == UInt8(ascii: "[") || at(i + 1) == UInt8(ascii: "=")) {
                let startLine = line
                if skipLongBracket() {
                    tokens.append(Token(kind: .literal, text: "", line: startLine))
                } else {
                    tokens.append(Token(kind: .symbol, text: "[", line: line))
                    i += 1
                }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                let startLine = line
                i += 1
                let start = i
                while i < count && source[i] != byte && source[i] != 0x0A {
                    if source[i] == UInt8(ascii: "\\") {
                        if at(i + 1) == 0x0A { line += 1 }
                        i += 1
                    }
                    i += 1
                }
                let contents = String(decoding: source[start..<min(i, count)], as: UTF8.self)
                i += 1
                tokens.append(Token(kind: .literal, text: "", line: startLine, string: contents))
            } else if isDigit(byte) || (byte == UInt8(ascii: ".") && isDigit(at(i + 1))) {
                while i < count, isNameStart(source[i]) || isDigit(source[i]) || source[i] == UInt8(ascii: ".")
                    || ((source[i] == UInt8(ascii: "+") || source[i] == UInt8(ascii: "-")) && "eEpP".utf8.contains(source[i - 1]))
                {
                    i += 1
                }
                tokens.append(Token(kind: .literal, text: "", line: line))
            } else if isNameStart(byte) {
                let start = i
                while i < count && (isNameStart(source[i]) || isDigit(source[i])) { i += 1 }
                tokens.append(Token(kind: .name, text: String(decoding: source[start..<i], as: UTF8.self), line: line))
            } else {
                // The multi-byte symbols whose first byte alone would mean something else here.
                let two = String(decoding: source[i..<min(i + 2, count)], as: UTF8.self)
                let length = two == ".." ? (at(i + 2) == UInt8(ascii: ".") ? 3 : 2) : (["==", "~=", "<=", ">=", "::", "//", "<<", ">>"].contains(two) ? 2 : 1)
                tokens.append(Token(kind: .symbol, text: String(decoding: source[i..<min(i + length, count)], as: UTF8.self), line: line))
                i += length
            }
        }
    }
}
