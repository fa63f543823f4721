/// What Kubernetes accepts as a label key and a label value, for selectors: a key is an
/// optional DNS subdomain prefix and "/" before a name of at most 63 characters; a value is
/// empty or at most 63 characters. Names and values start and end with a letter or digit and
/// hold only letters, digits, '-', '_' and '.'; a prefix is lowercase letters, digits, '-' and
/// '.', at most 253 characters. Each check returns why the text is refused, or nil.
enum LabelSyntax {
    static func keyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return nameProblem(parts[0])
        case 2:
            if let problem = prefixProblem(parts[0]) { return "prefix part \(problem)" }
            return nameProblem(parts[1]).map { "name part \($0)" }
        default:
            return "a qualified name has at most one '/'"
        }
    }

    static func valueProblem(_ value: String) -> String? {
        value.isEmpty ? nil : nameProblem(Substring(value))
    }

    private static func nameProblem(_ name: Substring) -> String? {
        guard !name.isEmpty else { return "must not be empty" }
        guard name.count <= 63 else { return "must be no more than 63 characters" }
        guard name.allSatisfy({ isAlphanumeric($0) || "-_.".contains($0) }),
              isAlphanumeric(name.first!), isAlphanumeric(name.last!) else {
            return "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        }
        return nil
    }

    private static func prefixProblem(_ prefix: Substring) -> String? {
        guard !prefix.isEmpty else { return "must not be empty" }
        guard prefix.count <= 253 else { return "must be no more than 253 characters" }
        let isLowercaseAlphanumeric = { (c: Character) in c.isASCII && (c.isLowercase || c.isNumber) }
        let labels = prefix.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ label in
            !label.isEmpty && label.allSatisfy { isLowercaseAlphanumeric($0) || $0 == "-" }
                && isLowercaseAlphanumeric(label.first!) && isLowercaseAlphanumeric(label.last!)
        }) else {
            return "must be a lowercase DNS subdomain: labels of 'a-z', '0-9' and '-' joined by '.'"
        }
        return nil
    }

    private static func isAlphanumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber)
    }
}
