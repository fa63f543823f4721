/// Why a connection to Kubernetes could not be configured.
///
/// The description names the file and the field at fault, in the form
/// `kubeconfig /home/u/.kube/config: users[1] "admin": client-key-data: invalid base64`,
/// so a user can go straight to the line to fix. It never contains a secret.
public struct KubeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A kubeconfig, or a file one names, does not exist.
        case fileNotFound
        /// A file exists but cannot be read (permissions, a directory, too large).
        case unreadableFile
        /// A kubeconfig is not valid YAML.
        case invalidYAML
        /// A field is required but absent.
        case missingField
        /// A field has the wrong type or an unusable value (bad base64, bad URL, not PEM, ...).
        case invalidField
        /// A context, cluster or user name does not resolve.
        case notFound
        /// No context was given and no `current-context` is set.
        case noContext
        /// A valid kubeconfig feature kubelua deliberately does not implement.
        case unsupported
        /// In-cluster configuration was asked for outside a pod.
        case notInCluster
        /// An exec credential plugin failed or printed something unusable.
        case execPlugin
    }

    public let kind: Kind
    /// What was being read: `kubeconfig /path`, `in-cluster config /dir`, ...
    public let origin: String
    /// What is wrong, starting with the entry and field when there is one.
    public let message: String

    public init(_ kind: Kind, origin: String, _ message: String) {
        self.kind = kind
        self.origin = origin
        self.message = message
    }

    public var description: String { "\(origin): \(message)" }
}
