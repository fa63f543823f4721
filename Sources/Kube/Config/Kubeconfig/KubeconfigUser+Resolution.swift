import Logging

extension KubeconfigEntry where Value == KubeconfigUser {
    /// Refuses what kubelua does not implement, rather than connecting as someone else or
    /// anonymously.
    func checkSupported() throws {
        if let provider = value.authProvider {
            let named = provider.isEmpty ? "" : " \"\(provider)\""
            throw error(.unsupported, "auth-provider\(named): legacy auth providers are not supported; use an exec credential plugin (gke-gcloud-auth-plugin for GKE, kubelogin for OIDC and Azure)")
        }
        if value.username != nil || value.password != nil {
            throw error(.unsupported, "username/password: basic authentication is not supported (API servers dropped it in Kubernetes 1.19); use a token, a client certificate or an exec plugin")
        }
        if let field = value.impersonation.first {
            throw error(.unsupported, "\(field): impersonation is not supported")
        }
    }

    /// The client certificate and key, both required once either is set. Inline data wins over
    /// a file, as in kubectl.
    func clientCertificate(reader: ConfigFileReader, logger: Logger) throws -> KubeClientCertificate? {
        let user = value
        let hasCertificate = user.clientCertificate != nil || user.clientCertificateData != nil
        let hasKey = user.clientKey != nil || user.clientKeyData != nil
        switch (hasCertificate, hasKey) {
        case (false, false): return nil
        case (true, false): throw error(.missingField, "client-key-data or client-key: missing (a client certificate is set)")
        case (false, true): throw error(.missingField, "client-certificate-data or client-certificate: missing (a client key is set)")
        case (true, true): break
        }
        let certificate = try material(data: user.clientCertificateData, file: user.clientCertificate,
                                       field: "client-certificate", reader: reader, logger: logger)
        guard PEM.hasCertificate(certificate.bytes) else {
            throw error(.invalidField, "\(certificate.field): not a PEM certificate (no BEGIN CERTIFICATE line)")
        }
        let key = try material(data: user.clientKeyData?.value, file: user.clientKey,
                               field: "client-key", reader: reader, logger: logger)
        guard PEM.hasPrivateKey(key.bytes) else {
            throw error(.invalidField, "\(key.field): not a PEM private key (no BEGIN ... PRIVATE KEY line)")
        }
        return KubeClientCertificate(certificateChain: certificate.bytes, privateKey: key.bytes)
    }

    /// `field-data` (base64) or the file `field` names; `field` describes which, for messages.
    private func material(
        data: String?, file path: String?, field: String, reader: ConfigFileReader, logger: Logger
    ) throws -> (bytes: [UInt8], field: String) {
        if let data {
            if path != nil {
                logger.warning("\(field)-data and \(field) both set; using \(field)-data",
                               metadata: ["kubeconfig": "\(file)", "user": "\(name)"])
            }
            guard let bytes = PEM.decodeBase64(data) else { throw error(.invalidField, "\(field)-data: invalid base64") }
            return (bytes, "\(field)-data")
        }
        let path = path!
        return (try reader.read(path, field: field), "\(field) \(path)")
    }

    /// The bearer token source: `token`, `tokenFile` or `exec`, or nil. `token` with
    /// `tokenFile` uses the file (kubectl prefers the file too, re-reading it); a token with
    /// an exec plugin is refused as ambiguous.
    func credentials(
        clusterInfo: ExecClusterInfo, environment: KubeEnvironment, logger: Logger
    ) throws -> (any BearerTokenSource)? {
        let user = value
        let hasToken = user.token != nil || user.tokenFile != nil
        if hasToken, user.exec != nil {
            throw error(.invalidField, "more than one authentication method (token, exec); only one is allowed")
        }
        if let exec = user.exec {
            return try ExecCredentialSource(exec: exec, clusterInfo: clusterInfo, environment: environment,
                                            timeout: .seconds(60), site: site, logger: logger)
        }
        if let path = user.tokenFile {
            if user.token != nil {
                logger.notice("token and tokenFile both set; using tokenFile", metadata: ["kubeconfig": "\(file)", "user": "\(name)"])
            }
            return try FileTokenSource(path: path, field: "tokenFile", site: site, environment: environment, logger: logger)
        }
        return user.token.map { StaticTokenSource(token: $0.value) }
    }
}
