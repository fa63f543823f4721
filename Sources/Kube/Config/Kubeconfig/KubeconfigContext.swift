/// A `contexts[].context`: which cluster, as which user, in which namespace.
public struct KubeconfigContext: Sendable, Equatable {
    public var cluster: String?
    /// Nil means anonymous: no credentials are sent.
    public var user: String?
    public var namespace: String?

    public init(cluster: String? = nil, user: String? = nil, namespace: String? = nil) {
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
    }
}
