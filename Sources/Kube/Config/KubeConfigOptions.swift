/// The command-line choices kubectl users know: `--kubeconfig`, `--context`, `--namespace`.
public struct KubeConfigOptions: Sendable, Equatable {
    /// `--kubeconfig`: this file alone, which must exist.
    public var kubeconfig: String?
    /// `--context`: instead of the kubeconfig's `current-context`.
    public var context: String?
    /// `--namespace`: instead of the context's (or the pod's) namespace.
    public var namespace: String?

    public init(kubeconfig: String? = nil, context: String? = nil, namespace: String? = nil) {
        self.kubeconfig = kubeconfig
        self.context = context
        self.namespace = namespace
    }
}
