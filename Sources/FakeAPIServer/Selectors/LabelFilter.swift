/// A label selector as this server applies it to lists and watches: requirements that must all
/// hold; none selects everything. `=`/`==` are kept as `in` with one value and `!=` as `notin`
/// with one value, which is what they mean.
///
/// Written for the fake server alone, from the Kubernetes grammar: kubelua's own selectors
/// (`Sources/Selectors`) are what tests check against this server, so the two share no code.
struct LabelFilter: Sendable, Equatable {
    struct Requirement: Sendable, Equatable {
        enum Operator: Sendable, Equatable {
            case `in`, notIn, exists, doesNotExist
            /// The label's value as an integer against the one value (node affinity's `Gt`/`Lt`).
            case greaterThan, lessThan
        }

        var key: String
        var `operator`: Operator
        var values: Set<String> = []

        func holds(for labels: [String: String]) -> Bool {
            let value = labels[key]
            switch `operator` {
            case .in: return value.map(values.contains) ?? false
            // A missing label is "not in" any set, as in Kubernetes.
            case .notIn: return !(value.map(values.contains) ?? false)
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let actual = value.flatMap({ Int64($0) }), let bound = values.first.flatMap({ Int64($0) }) else { return false }
                return `operator` == .greaterThan ? actual > bound : actual < bound
            }
        }
    }

    var requirements: [Requirement] = []

    /// Selects everything.
    init() {}

    init(_ requirements: [Requirement]) {
        self.requirements = requirements
    }

    var isEmpty: Bool { requirements.isEmpty }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.holds(for: labels) }
    }
}
