/// A `metav1.LabelFilter` object (`matchLabels`, `matchExpressions`), as disruption budgets
/// carry it, read straight into requirements.
extension LabelFilter {
    /// nil for something that is not a selector object or names an unknown operator.
    init?(selectorObject value: Any?) {
        guard let object = value as? [String: Any] else { return nil }
        var requirements: [Requirement] = []
        for (key, value) in (object["matchLabels"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            requirements.append(Requirement(key: key, operator: .in, values: [value as? String ?? ""]))
        }
        for expression in object["matchExpressions"] as? [[String: Any]] ?? [] {
            let operators: [String: Requirement.Operator] = ["In": .in, "NotIn": .notIn, "Exists": .exists, "DoesNotExist": .doesNotExist]
            guard let op = (expression["operator"] as? String).flatMap({ operators[$0] }) else { return nil }
            let values = (expression["values"] as? [Any] ?? []).compactMap { $0 as? String }
            requirements.append(Requirement(key: expression["key"] as? String ?? "", operator: op, values: Set(values)))
        }
        self.init(requirements)
    }
}
