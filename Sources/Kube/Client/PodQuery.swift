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

extension PodQuery {
    /// A valid Kubernetes namespace name: a DNS-1123 label (lower-case letters, digits and `-`,
    /// at most 63, starting and ending with a letter or digit).
    public static func isNamespaceName(_ name: String) -> Bool {
        isDNSName(name, longest: 63, dots: false)
    }

    /// A valid name for most kinds (a Lease, a ConfigMap): a DNS-1123 subdomain (as a namespace
    /// name, with `.` too, at most 253).
    public static func isObjectName(_ name: String) -> Bool {
        isDNSName(name, longest: 253, dots: true)
    }

    private static func isDNSName(_ name: String, longest: Int, dots: Bool) -> Bool {
        guard (1...longest).contains(name.utf8.count), let first = name.utf8.first, let last = name.utf8.last else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        return alphanumeric(first) && alphanumeric(last)
            && name.utf8.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") || (dots && $0 == UInt8(ascii: ".")) }
    }
}
