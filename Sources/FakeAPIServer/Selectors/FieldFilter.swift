import Foundation

/// A parsed `fieldSelector` over the pod fields the real server indexes
/// (`StoredPod.selectableFields`): `f=v`, `f==v`, `f!=v`, joined by commas.
struct FieldFilter: Sendable, Equatable {
    struct Requirement: Sendable, Equatable {
        var field: String
        var value: String
        var negated: Bool
    }

    var requirements: [Requirement] = []

    var isEmpty: Bool { requirements.isEmpty }

    /// Selects everything.
    init() {}

    /// `supported`: the fields that may be named; nil allows any dotted path (generic objects).
    init(parsing text: String, supported: Set<String>? = Set(StoredPod.selectableFields.map(\.0))) throws(StatusError) {
        for term in text.split(separator: ",") {
            let term = term.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            var requirement: Requirement?
            for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
                if let range = term.range(of: op) {
                    requirement = Requirement(field: String(term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)),
                                              value: String(term[range.upperBound...].trimmingCharacters(in: .whitespaces)), negated: negated)
                    break
                }
            }
            guard let requirement else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            guard supported?.contains(requirement.field) ?? true else {
                throw .badRequest("field label not supported: \(requirement.field)")
            }
            requirements.append(requirement)
        }
    }

    func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { ($0.value == fields[$0.field, default: ""]) != $0.negated }
    }
}
