import Foundation

/// Everything outside the process that configuration reads: environment variables, files,
/// the service-account directory and the wall clock. Tests pass their own; production uses
/// `KubeEnvironment.current`.
public struct KubeEnvironment: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Where kubelet mounts a pod's service-account token, CA bundle and namespace.
    public static let defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The environment variables (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`, `PATH`, ...).
    /// Exec plugins inherit exactly these.
    public var variables: [String: String]
    public var fileSystem: any KubeFileSystem
    public var serviceAccountDirectory: String
    /// Wall-clock time, for exec credential expiry and token-file re-reads.
    public var now: @Sendable () -> Date

    public init(
        variables: [String: String],
        fileSystem: any KubeFileSystem = LocalFileSystem(),
        serviceAccountDirectory: String = KubeEnvironment.defaultServiceAccountDirectory,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.variables = variables
        self.fileSystem = fileSystem
        self.serviceAccountDirectory = serviceAccountDirectory
        self.now = now
    }

    /// This process's environment and the real file system.
    public static var current: KubeEnvironment {
        KubeEnvironment(variables: ProcessInfo.processInfo.environment)
    }

    /// The non-empty paths in `KUBECONFIG`, in order, without repeats (kubectl ignores empty
    /// entries and loads a repeated path once). Empty when `KUBECONFIG` names no file.
    public var kubeconfigPaths: [String] {
        guard let list = variables["KUBECONFIG"] else { return [] }
        var seen = Set<String>()
        return list.split(separator: ":", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { seen.insert($0).inserted }
    }

    /// Variable names only: the environment commonly holds secrets (cloud keys for plugins).
    public var description: String {
        "KubeEnvironment(variables: [\(variables.keys.sorted().joined(separator: ", "))], serviceAccountDirectory: \(serviceAccountDirectory))"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["description": description], displayStyle: .struct) }

    /// `$HOME/.kube/config`, or nil when `HOME` is unset or empty.
    public var defaultKubeconfigPath: String? {
        guard let home = variables["HOME"], !home.isEmpty else { return nil }
        return KubePath.clean(home + "/.kube/config")
    }
}
