/// Splits a `labelSelector` into the tokens of the Kubernetes selector grammar: words, the
/// operators `!`, `=`, `==`, `!=`, the keywords `in` and `notin`, parentheses and commas.
/// Spaces and tabs separate tokens and are otherwise ignored, so a word never holds one.
struct SelectorLexer {
    enum Token: Equatable, CustomStringConvertible {
        case word(String)
        case not, equals, doubleEquals, notEquals
        case inKeyword, notInKeyword
        case open, close, comma
        /// `<` or `>`: a numeric comparison of the label's value.
        case comparison(Character)
        case end

        var description: String {
            switch self {
            case .word(let text): text
            case .not: "!"
            case .equals: "="
            case .doubleEquals: "=="
            case .notEquals: "!="
            case .inKeyword: "in"
            case .notInKeyword: "notin"
            case .open: "("
            case .close: ")"
            case .comma: ","
            case .comparison(let symbol): String(symbol)
            case .end: ""
            }
        }
    }

    private let characters: [Character]
    private var position = 0

    init(_ text: String) {
        characters = Array(text)
    }

    /// The next token without consuming it.
    func peek() -> Token {
        var copy = self
        return copy.next()
    }

    mutating func next() -> Token {
        while position < characters.count, characters[position] == " " || characters[position] == "\t" {
            position += 1
        }
        guard position < characters.count else { return .end }
        let character = characters[position]
        position += 1
        switch character {
        case "(": return .open
        case ")": return .close
        case ",": return .comma
        case "<", ">": return .comparison(character)
        case "!": return take("=") ? .notEquals : .not
        case "=": return take("=") ? .doubleEquals : .equals
        default:
            var word = String(character)
            while position < characters.count, !Self.endsWord(characters[position]) {
                word.append(characters[position])
                position += 1
            }
            switch word {
            case "in": return .inKeyword
            case "notin": return .notInKeyword
            default: return .word(word)
            }
        }
    }

    private mutating func take(_ character: Character) -> Bool {
        guard position < characters.count, characters[position] == character else { return false }
        position += 1
        return true
    }

    private static func endsWord(_ character: Character) -> Bool {
        " \t()!=,<>".contains(character)
    }
}
