import Foundation

/// The cluster details a plugin with `provideClusterInfo: true` receives in
/// `KUBERNETES_EXEC_INFO` (`spec.cluster`). The cluster's `extensions` (`config`) and proxy
/// settings are not passed: kubelua supports neither.
public struct ExecClusterInfo: Sendable, Equatable {
    public var server: String
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool
    public var certificateAuthorityData: [UInt8]?

    public init(server: String, tlsServerName: String? = nil, insecureSkipTLSVerify: Bool = false,
                certificateAuthorityData: [UInt8]? = nil) {
        self.server = server
        self.tlsServerName = tlsServerName
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.certificateAuthorityData = certificateAuthorityData
    }

    /// Field names as in `client.authentication.k8s.io` `Cluster` (kebab-case, like kubeconfig).
    var json: [String: Any] {
        var cluster: [String: Any] = ["server": server]
        if let tlsServerName { cluster["tls-server-name"] = tlsServerName }
        if insecureSkipTLSVerify { cluster["insecure-skip-tls-verify"] = true }
        if let certificateAuthorityData {
            cluster["certificate-authority-data"] = Data(certificateAuthorityData).base64EncodedString()
        }
        return cluster
    }
}
