/// The `labelSelector` grammar of the Kubernetes API, read token by token:
///
///     selector    ::= requirement ("," requirement)*
///     requirement ::= "!" KEY | KEY [ ("=" | "==" | "!=") VALUE? | ("in" | "notin") "(" VALUE? ("," VALUE?)* ")"
///                                    | (">" | "<") INTEGER ]
///
/// An empty selector selects everything; `()` is the set holding the empty value. A bad selector
/// is a 400 BadRequest, as the real server answers it.
extension LabelFilter {
    init(parsing text: String) throws(StatusError) {
        var parser = Parser(text: text, lexer: SelectorLexer(text))
        self.init(try parser.requirements())
    }

    private struct Parser {
        let text: String
        var lexer: SelectorLexer

        mutating func requirements() throws(StatusError) -> [Requirement] {
            var result: [Requirement] = []
            if lexer.peek() == .end { return result }
            while true {
                result.append(try requirement())
                switch lexer.next() {
                case .end: return result
                case .comma: continue
                case let other: throw unexpected(other, expected: "',' or the end")
                }
            }
        }

        private mutating func requirement() throws(StatusError) -> Requirement {
            if lexer.peek() == .not {
                _ = lexer.next()
                let key = try self.key()
                guard [.comma, .end].contains(lexer.peek()) else {
                    throw unexpected(lexer.next(), expected: "',' or the end after '!\(key)'")
                }
                return Requirement(key: key, operator: .doesNotExist)
            }
            let key = try self.key()
            switch lexer.peek() {
            case .comma, .end:
                return Requirement(key: key, operator: .exists)
            case .equals, .doubleEquals:
                _ = lexer.next()
                return Requirement(key: key, operator: .in, values: [try optionalValue(key)])
            case .notEquals:
                _ = lexer.next()
                return Requirement(key: key, operator: .notIn, values: [try optionalValue(key)])
            case .inKeyword:
                _ = lexer.next()
                return Requirement(key: key, operator: .in, values: try valueSet(key))
            case .notInKeyword:
                _ = lexer.next()
                return Requirement(key: key, operator: .notIn, values: try valueSet(key))
            case .comparison(let symbol):
                _ = lexer.next()
                let token = lexer.next()
                guard case .word(let number) = token, Int64(number) != nil else {
                    throw unexpected(token, expected: "an integer after '\(symbol)'")
                }
                return Requirement(key: key, operator: symbol == ">" ? .greaterThan : .lessThan, values: [number])
            case let other:
                throw unexpected(other, expected: "'=', '==', '!=', 'in', 'notin', '>' or '<'")
            }
        }

        private mutating func key() throws(StatusError) -> String {
            let token = lexer.next()
            guard case .word(let key) = token else { throw unexpected(token, expected: "a label key") }
            if let problem = LabelSyntax.keyProblem(key) { throw invalid("invalid label key \"\(key)\": \(problem)") }
            return key
        }

        /// A value, or "" when the selector ends or the next requirement starts (`tier=`).
        private mutating func optionalValue(_ key: String) throws(StatusError) -> String {
            guard case .word(let value) = lexer.peek() else { return "" }
            _ = lexer.next()
            if let problem = LabelSyntax.valueProblem(value) {
                throw invalid("invalid value \"\(value)\" for label \"\(key)\": \(problem)")
            }
            return value
        }

        /// `( VALUE? ("," VALUE?)* )`: empty places are the empty value.
        private mutating func valueSet(_ key: String) throws(StatusError) -> Set<String> {
            let open = lexer.next()
            guard open == .open else { throw unexpected(open, expected: "'('") }
            var values: Set<String> = []
            while true {
                values.insert(try optionalValue(key))
                switch lexer.next() {
                case .comma: continue
                case .close: return values
                case let other: throw unexpected(other, expected: "',' or ')'")
                }
            }
        }

        private func unexpected(_ token: SelectorLexer.Token, expected: String) -> StatusError {
            invalid(token == .end ? "unexpected end, expected: \(expected)" : "found '\(token)', expected: \(expected)")
        }

        private func invalid(_ why: String) -> StatusError {
            .badRequest("unable to parse requirement: \(why) (in label selector \"\(text)\")")
        }
    }
}
