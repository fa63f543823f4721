/// The selector grammar of `kubectl -l` and `?labelSelector=`: `k=v`, `k==v`, `k!=v`,
/// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas.
extension LabelSelector {
    public init(parsing text: String) throws(LabelSelectorError) {
        for term in Self.splitTerms(text) {
            let term = term.trimmingSpaces
            if term.isEmpty { continue }
            requirements.append(try Self.requirement(term, in: text))
        }
    }

    /// Splits on commas outside parentheses, so `k in (a,b)` stays one term.
    private static func splitTerms(_ text: String) -> [Substring] {
        var terms: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                terms.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        terms.append(text[start...])
        return terms
    }

    private static func requirement(_ term: Substring, in text: String) throws(LabelSelectorError) -> Requirement {
        func invalid(_ why: String) -> LabelSelectorError {
            LabelSelectorError(message: "unable to parse requirement: found '\(term)' in label selector \"\(text)\": \(why)")
        }
        if term.hasPrefix("!") {
            let key = term.dropFirst().trimmingSpaces
            guard isKey(key) else { throw invalid("invalid label key") }
            return .doesNotExist(String(key))
        }
        if let open = term.firstIndex(of: "(") {
            guard term.hasSuffix(")") else { throw invalid("missing ')'") }
            let words = term[..<open].split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, isKey(words[0]), words[1] == "in" || words[1] == "notin" else {
                throw invalid("expected 'key in (values)' or 'key notin (values)'")
            }
            let inner = term[term.index(after: open)..<term.index(before: term.endIndex)]
            let values = inner.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingSpaces) }
            guard values.allSatisfy(isValue) else { throw invalid("invalid label value") }
            let key = String(words[0])
            return words[1] == "in" ? .isIn(key, Set(values)) : .notIn(key, Set(values))
        }
        for (op, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = term.firstRange(of: op) {
                let key = term[..<range.lowerBound].trimmingSpaces
                let value = term[range.upperBound...].trimmingSpaces
                guard isKey(key) else { throw invalid("invalid label key") }
                guard isValue(value) else { throw invalid("invalid label value") }
                return make(String(key), String(value))
            }
        }
        guard isKey(term) else { throw invalid("invalid label key") }
        return .exists(String(term))
    }

    /// `[prefix/]name`, DNS-ish characters only.
    public static func isKey(_ key: some StringProtocol) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let name = parts.last, !name.isEmpty, name.count <= 63 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isNameCharacter) }
    }

    public static func isValue(_ value: some StringProtocol) -> Bool {
        value.count <= 63 && value.allSatisfy(isNameCharacter)
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".")
    }
}

extension StringProtocol {
    public var trimmingSpaces: Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { $0 != " " }), let last = s.lastIndex(where: { $0 != " " }) else {
            return s[s.endIndex...]
        }
        return s[first...last]
    }
}
