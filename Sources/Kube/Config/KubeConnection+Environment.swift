import Logging

extension KubeConnection {
    /// The connection kubelua should use, chosen by these rules in order:
    ///
    /// 1. `options.kubeconfig` set (`--kubeconfig`): that kubeconfig file alone.
    /// 2. `options.context` set (`--context`): kubeconfig (`KUBECONFIG`, else
    ///    `~/.kube/config`), since only a kubeconfig has contexts to choose from.
    /// 3. `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` set and `KUBECONFIG` unset
    ///    (or naming no file): in-cluster, from the pod's service account.
    /// 4. Otherwise kubeconfig: the files in `KUBECONFIG`, else `~/.kube/config`.
    ///
    /// The kubeconfig is resolved with `options.context` (else `current-context`);
    /// `options.namespace` overrides the namespace either way.
    public static func fromEnvironment(
        _ options: KubeConfigOptions = KubeConfigOptions(), environment: KubeEnvironment, logger: Logger
    ) throws -> KubeConnection {
        let explicitPath = options.kubeconfig.flatMap { $0.isEmpty ? nil : $0 }
        let explicitContext = options.context.flatMap { $0.isEmpty ? nil : $0 }
        let variables = environment.variables
        let inPod = !(variables["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty
            && !(variables["KUBERNETES_SERVICE_PORT"] ?? "").isEmpty
        if explicitPath == nil, explicitContext == nil, inPod, environment.kubeconfigPaths.isEmpty {
            logger.debug("using in-cluster configuration")
            return try inCluster(environment: environment, namespace: options.namespace, logger: logger)
        }
        let kubeconfig = try KubeconfigSet.load(explicitPath: explicitPath, environment: environment, logger: logger)
        logger.debug("using kubeconfig", metadata: ["files": "\(kubeconfig.files.map(\.path))"])
        return try KubeConnection(kubeconfig: kubeconfig, context: explicitContext, namespace: options.namespace,
                                  environment: environment, logger: logger)
    }
}
