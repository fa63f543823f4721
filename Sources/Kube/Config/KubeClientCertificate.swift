/// A client certificate chain and its private key, PEM. The key is a secret: it prints as
/// `<redacted>` everywhere.
public struct KubeClientCertificate: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var certificateChain: [UInt8]
    public var privateKey: Redacted<[UInt8]>

    public init(certificateChain: [UInt8], privateKey: [UInt8]) {
        self.certificateChain = certificateChain
        self.privateKey = Redacted(privateKey)
    }

    public var description: String {
        "client certificate (\(certificateChain.count) bytes of PEM, key <redacted>)"
    }

    public var debugDescription: String { description }
}
