import Kube

extension HookLayout {
    /// One watch of all namespaces when `_all` exists (it covers every folder), else one per
    /// namespace folder, so a Role per namespace suffices.
    public func queries(labelSelector: String? = nil, fieldSelector: String? = nil) -> [PodQuery] {
        let namespaces: [String?] = watchesAllNamespaces ? [nil] : namespaces
        return namespaces.map { PodQuery(namespace: $0, labelSelector: labelSelector, fieldSelector: fieldSelector) }
    }
}
