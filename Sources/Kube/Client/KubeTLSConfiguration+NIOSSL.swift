import NIOSSL

extension KubeTLSConfiguration {
    /// The NIOSSL client configuration: verification stays on unless the kubeconfig says
    /// `insecure-skip-tls-verify`.
    func nioConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustRoots {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(trustRoots))
        }
        if insecureSkipVerify { tls.certificateVerification = .none }
        if let clientCertificate {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(clientCertificate.certificateChain).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: clientCertificate.privateKey.value, format: .pem))
        }
        return tls
    }
}
