/// How to verify the server and, optionally, prove our identity with a certificate.
/// PEM bytes, ready for the TLS library; nothing here is read lazily.
public struct KubeTLSConfiguration: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The CA bundle (PEM) to trust instead of the system roots; nil means the system roots.
    public var trustRoots: [UInt8]?
    /// `insecure-skip-tls-verify`: accept any server certificate. Exclusive with `trustRoots`.
    public var insecureSkipVerify: Bool
    /// `tls-server-name`: the name to verify (and send as SNI) instead of the URL's host.
    public var serverName: String?
    public var clientCertificate: KubeClientCertificate?

    public init(
        trustRoots: [UInt8]? = nil, insecureSkipVerify: Bool = false, serverName: String? = nil,
        clientCertificate: KubeClientCertificate? = nil
    ) {
        self.trustRoots = trustRoots
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
        self.clientCertificate = clientCertificate
    }

    public var description: String {
        var parts = [trustRoots.map { "trust roots: \($0.count) bytes of PEM" } ?? "trust roots: system"]
        if insecureSkipVerify { parts.append("insecure-skip-tls-verify") }
        if let serverName { parts.append("server name: \(serverName)") }
        if let clientCertificate { parts.append("\(clientCertificate)") }
        return "TLS(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }
}
