/// A `clusters[].cluster` as written. File paths are already resolved against the kubeconfig's
/// directory; nothing they name has been read yet.
public struct KubeconfigCluster: Sendable, Equatable {
    public var server: String?
    /// `certificate-authority`: a PEM bundle file.
    public var certificateAuthority: String?
    /// `certificate-authority-data`: base64 of a PEM bundle, as written.
    public var certificateAuthorityData: String?
    public var insecureSkipTLSVerify: Bool
    public var tlsServerName: String?
    /// `proxy-url`: parsed only so it can be refused clearly.
    public var proxyURL: String?

    public init(
        server: String? = nil, certificateAuthority: String? = nil, certificateAuthorityData: String? = nil,
        insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil, proxyURL: String? = nil
    ) {
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.certificateAuthorityData = certificateAuthorityData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.proxyURL = proxyURL
    }
}
