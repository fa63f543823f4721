import Foundation
import NIOSSL

/// A throwaway CA and a server certificate for localhost and 127.0.0.1, made with the openssl
/// command in a temporary folder, for HTTPS tests.
struct LocalCertificates {
    let ca: NIOSSLCertificate
    let server: NIOSSLContext

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubelua-http-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        try Self.shell(in: folder, """
            set -e
            openssl req -x509 \(key) -keyout ca.key -out ca.crt -days 1 -subj /CN=kubelua-test-ca \
              -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
            openssl req \(key) -keyout server.key -out server.csr -subj /CN=localhost
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 1 -extfile server.ext
            """)
        ca = try NIOSSLCertificate(file: folder.appendingPathComponent("ca.crt").path, format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(file: folder.appendingPathComponent("server.crt").path, format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(file: folder.appendingPathComponent("server.key").path, format: .pem)))
        server = try NIOSSLContext(configuration: configuration)
    }

    private static func shell(in folder: URL, _ script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let log = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ShellFailure(description: String(decoding: log, as: UTF8.self)) }
    }

    struct ShellFailure: Error, CustomStringConvertible {
        let description: String
    }
}
