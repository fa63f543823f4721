import Logging

extension KubeconfigSet {
    /// Loads the kubeconfig files kubectl would use:
    /// 1. `explicitPath` (`--kubeconfig`): that file alone, which must exist;
    /// 2. else every path in `KUBECONFIG` (`:`-separated), in order; empty entries and repeats
    ///    are ignored, files that do not exist are skipped (an error only if none exists);
    /// 3. else `$HOME/.kube/config`, which must exist.
    ///
    /// A file that exists but cannot be read or parsed is always an error.
    public static func load(
        explicitPath: String? = nil, environment: KubeEnvironment, logger: Logger
    ) throws -> KubeconfigSet {
        let fileSystem = environment.fileSystem
        if let explicitPath, !explicitPath.isEmpty {
            return KubeconfigSet(files: [try Kubeconfig.load(path: explicitPath, fileSystem: fileSystem)])
        }
        let listed = environment.kubeconfigPaths
        if listed.isEmpty {
            guard let home = environment.defaultKubeconfigPath else {
                throw KubeConfigError(.fileNotFound, origin: "kubeconfig",
                                      "HOME is not set, so there is no default ~/.kube/config; set KUBECONFIG or pass a kubeconfig path")
            }
            return KubeconfigSet(files: [try Kubeconfig.load(path: home, fileSystem: fileSystem)])
        }
        var files: [Kubeconfig] = []
        for path in listed {
            do {
                files.append(try Kubeconfig.load(path: path, fileSystem: fileSystem))
            } catch let error as KubeConfigError where error.kind == .fileNotFound {
                logger.debug("KUBECONFIG entry does not exist; skipped", metadata: ["path": "\(path)"])
            }
        }
        guard !files.isEmpty else {
            throw KubeConfigError(.fileNotFound, origin: "kubeconfig " + listed.joined(separator: ", "),
                                  "none of the files in KUBECONFIG exists")
        }
        return KubeconfigSet(files: files)
    }
}
