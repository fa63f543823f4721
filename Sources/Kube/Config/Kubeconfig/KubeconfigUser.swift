/// A `users[].user` as written. Secrets are `Redacted`; file paths are resolved against the
/// kubeconfig's directory but not read yet.
public struct KubeconfigUser: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var token: Redacted<String>?
    public var tokenFile: String?
    /// `client-certificate`: a PEM file.
    public var clientCertificate: String?
    /// `client-certificate-data`: base64 of PEM, as written.
    public var clientCertificateData: String?
    /// `client-key`: a PEM file.
    public var clientKey: String?
    /// `client-key-data`: base64 of PEM, as written.
    public var clientKeyData: Redacted<String>?
    public var username: String?
    public var password: Redacted<String>?
    public var exec: KubeconfigExec?
    /// `auth-provider.name` (legacy gcp, oidc, azure), parsed only so it can be refused clearly.
    public var authProvider: String?
    /// Which impersonation fields (`as`, `as-uid`, `as-groups`, `as-user-extra`) are set.
    public var impersonation: [String]

    public init() {
        impersonation = []
    }

    public var description: String {
        var parts: [String] = []
        if token != nil { parts.append("token: <redacted>") }
        if let tokenFile { parts.append("tokenFile: \(tokenFile)") }
        if let clientCertificate { parts.append("client-certificate: \(clientCertificate)") }
        if clientCertificateData != nil { parts.append("client-certificate-data: set") }
        if let clientKey { parts.append("client-key: \(clientKey)") }
        if clientKeyData != nil { parts.append("client-key-data: <redacted>") }
        if let username { parts.append("username: \(username)") }
        if password != nil { parts.append("password: <redacted>") }
        if let exec { parts.append("exec: \(exec)") }
        if let authProvider { parts.append("auth-provider: \(authProvider)") }
        if !impersonation.isEmpty { parts.append("impersonation: \(impersonation.joined(separator: ", "))") }
        return "KubeconfigUser(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }
}
