import Foundation
import NIOSSL

extension FakeAPIServer {
    /// HTTPS settings: the server's certificate and key in PEM, and optionally a CA whose
    /// client certificates are then required and verified.
    public struct TLS: Sendable {
        public var certificateChainPEM: [UInt8]
        public var privateKeyPEM: [UInt8]
        public var clientCAPEM: [UInt8]?

        public init(certificateChainPEM: [UInt8], privateKeyPEM: [UInt8], clientCAPEM: [UInt8]? = nil) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
            self.clientCAPEM = clientCAPEM
        }

        /// Reads the PEM files now.
        public init(certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil) throws {
            func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
            try self.init(certificateChainPEM: read(certificateChainFile), privateKeyPEM: read(privateKeyFile),
                          clientCAPEM: clientCAFile.map(read))
        }

        func makeContext() throws -> NIOSSLContext {
            let chain = try NIOSSLCertificate.fromPEMBytes(certificateChainPEM)
            let key = try NIOSSLPrivateKey(bytes: privateKeyPEM, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            if let clientCAPEM {
                // Verification on a server means: a client certificate is required and must
                // chain to this CA (there is no hostname to check).
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(clientCAPEM))
            }
            return try NIOSSLContext(configuration: configuration)
        }
    }
}
