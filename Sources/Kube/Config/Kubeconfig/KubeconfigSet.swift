/// The kubeconfig files in effect, highest precedence first, merged the way kubectl merges them:
/// a cluster, user or context comes whole from the first file that defines its name (entries are
/// never merged field by field), and `current-context` comes from the first file that sets it.
public struct KubeconfigSet: Sendable {
    public let files: [Kubeconfig]

    public init(files: [Kubeconfig]) {
        self.files = files
    }

    /// `kubeconfig /a` or `kubeconfig /a, /b`: how messages about the set as a whole begin.
    public var origin: String {
        "kubeconfig " + files.map(\.path).joined(separator: ", ")
    }

    public var currentContext: String? {
        files.lazy.compactMap(\.currentContext).first
    }

    public func context(named name: String) -> KubeconfigEntry<KubeconfigContext>? {
        files.lazy.compactMap { $0.contexts.first { $0.name == name } }.first
    }

    public func cluster(named name: String) -> KubeconfigEntry<KubeconfigCluster>? {
        files.lazy.compactMap { $0.clusters.first { $0.name == name } }.first
    }

    public func user(named name: String) -> KubeconfigEntry<KubeconfigUser>? {
        files.lazy.compactMap { $0.users.first { $0.name == name } }.first
    }

    /// Sorted, for "not found (contexts: a, b)" messages.
    public var contextNames: [String] { Set(files.flatMap { $0.contexts.map(\.name) }).sorted() }
    public var clusterNames: [String] { Set(files.flatMap { $0.clusters.map(\.name) }).sorted() }
    public var userNames: [String] { Set(files.flatMap { $0.users.map(\.name) }).sorted() }
}
