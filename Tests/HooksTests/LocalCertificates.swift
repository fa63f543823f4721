import FakeAPIServer
import Foundation
import TestCertificates
import NIOSSL

/// A throwaway CA and a server certificate for localhost and 127.0.0.1, for HTTPS tests.
struct LocalCertificates {
    let ca: NIOSSLCertificate
    let server: NIOSSLContext

    init() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        ca = try NIOSSLCertificate(file: pki.path("ca.crt"), format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(file: pki.path("server.crt"), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.path("server.key"), format: .pem)))
        server = try NIOSSLContext(configuration: configuration)
    }
}
