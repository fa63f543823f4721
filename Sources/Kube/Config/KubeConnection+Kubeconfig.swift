import Logging

extension KubeConnection {
    /// Resolves one context of `kubeconfig`: `context`, else its `current-context`. Reads the
    /// files the context's cluster and user name (CA bundle, client certificate and key, token
    /// file) now, so every configuration error surfaces here; exec plugins run on first use.
    ///
    /// The namespace is `namespace`, else the context's, else `default`.
    public init(
        kubeconfig: KubeconfigSet, context: String? = nil, namespace: String? = nil,
        environment: KubeEnvironment, logger: Logger
    ) throws {
        let selected = try Self.selectContext(kubeconfig, explicit: context)
        let clusterEntry = try Self.cluster(of: selected, in: kubeconfig)
        let userEntry = try Self.user(of: selected, in: kubeconfig)

        let server = try clusterEntry.serverURL()
        let clusterReader = ConfigFileReader(fileSystem: environment.fileSystem, site: clusterEntry.site)
        var tls = try clusterEntry.tlsConfiguration(reader: clusterReader, logger: logger)
        let clusterInfo = ExecClusterInfo(
            server: server.absoluteString, tlsServerName: tls.serverName,
            insecureSkipTLSVerify: tls.insecureSkipVerify, certificateAuthorityData: tls.trustRoots)

        var credentials: (any BearerTokenSource)?
        if let userEntry {
            try userEntry.checkSupported()
            let userReader = ConfigFileReader(fileSystem: environment.fileSystem, site: userEntry.site)
            tls.clientCertificate = try userEntry.clientCertificate(reader: userReader, logger: logger)
            credentials = try userEntry.credentials(clusterInfo: clusterInfo, environment: environment, logger: logger)
        }
        self.init(
            server: server,
            namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? selected.value.namespace ?? "default",
            tls: tls, credentials: credentials,
            origin: "kubeconfig \(selected.file) context \"\(selected.name)\"")
    }

    private static func selectContext(
        _ kubeconfig: KubeconfigSet, explicit: String?
    ) throws -> KubeconfigEntry<KubeconfigContext> {
        let names = list(kubeconfig.contextNames, of: "contexts")
        guard let name = explicit.flatMap({ $0.isEmpty ? nil : $0 }) ?? kubeconfig.currentContext else {
            throw KubeConfigError(.noContext, origin: kubeconfig.origin,
                                  "no context given and no current-context set (\(names))")
        }
        guard let context = kubeconfig.context(named: name) else {
            throw KubeConfigError(.notFound, origin: kubeconfig.origin, "context \"\(name)\" not found (\(names))")
        }
        return context
    }

    private static func cluster(
        of context: KubeconfigEntry<KubeconfigContext>, in kubeconfig: KubeconfigSet
    ) throws -> KubeconfigEntry<KubeconfigCluster> {
        guard let name = context.value.cluster else { throw context.error(.missingField, "cluster: missing") }
        guard let cluster = kubeconfig.cluster(named: name) else {
            throw context.error(.notFound, "cluster \"\(name)\" not found (\(list(kubeconfig.clusterNames, of: "clusters")))")
        }
        return cluster
    }

    /// A context without a user connects anonymously; one naming a missing user is an error.
    private static func user(
        of context: KubeconfigEntry<KubeconfigContext>, in kubeconfig: KubeconfigSet
    ) throws -> KubeconfigEntry<KubeconfigUser>? {
        guard let name = context.value.user else { return nil }
        guard let user = kubeconfig.user(named: name) else {
            throw context.error(.notFound, "user \"\(name)\" not found (\(list(kubeconfig.userNames, of: "users")))")
        }
        return user
    }

    private static func list(_ names: [String], of what: String) -> String {
        names.isEmpty ? "no \(what) defined" : "\(what): \(names.joined(separator: ", "))"
    }
}
