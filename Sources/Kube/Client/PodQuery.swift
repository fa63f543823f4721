/// Which pods a list or watch asks for: one namespace or all, and optional selectors.
public struct PodQuery: Sendable, Hashable, CustomStringConvertible {
    /// nil for all namespaces.
    public var namespace: String?
    public var labelSelector: String?
    public var fieldSelector: String?

    public init(namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil) {
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    var path: String {
        namespace.map { "/api/v1/namespaces/\($0)/pods" } ?? "/api/v1/pods"
    }

    var selectorItems: [(String, String)] {
        [("labelSelector", labelSelector), ("fieldSelector", fieldSelector)].compactMap { name, value in
            value.flatMap { $0.isEmpty ? nil : (name, $0) }
        }
    }

    public var description: String {
        var text = namespace.map { "namespace \($0)" } ?? "all namespaces"
        for (name, value) in selectorItems { text += ", \(name) \(value)" }
        return text
    }
}
