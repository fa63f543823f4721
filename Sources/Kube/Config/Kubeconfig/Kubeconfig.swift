/// One kubeconfig file, parsed. Nothing it refers to (certificates, keys, token files) is read
/// until a context is resolved, so an unused broken entry does not stop the others working.
public struct Kubeconfig: Sendable {
    public let path: String
    public var currentContext: String?
    public var clusters: [KubeconfigEntry<KubeconfigCluster>]
    public var users: [KubeconfigEntry<KubeconfigUser>]
    public var contexts: [KubeconfigEntry<KubeconfigContext>]

    public init(
        path: String, currentContext: String? = nil, clusters: [KubeconfigEntry<KubeconfigCluster>] = [],
        users: [KubeconfigEntry<KubeconfigUser>] = [], contexts: [KubeconfigEntry<KubeconfigContext>] = []
    ) {
        self.path = path
        self.currentContext = currentContext
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
    }

    /// Reads and parses `path`. Throws `KubeConfigError` (`.fileNotFound` when it does not exist).
    public static func load(path: String, fileSystem: any KubeFileSystem) throws -> Kubeconfig {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.contents(of: path)
        } catch {
            throw KubeConfigError(error.isNotFound ? .fileNotFound : .unreadableFile,
                                  origin: "kubeconfig \(path)", error.reason)
        }
        return try Kubeconfig(parsing: bytes, path: path)
    }
}
