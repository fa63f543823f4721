/// Pods are keyed by namespace/name and listed in that order, as etcd orders its keys.
struct NamespacedName: Hashable, Comparable, Sendable, CustomStringConvertible {
    var namespace: String
    var name: String

    var description: String { "\(namespace)/\(name)" }

    static func < (a: NamespacedName, b: NamespacedName) -> Bool {
        (a.namespace, a.name) < (b.namespace, b.name)
    }
}
