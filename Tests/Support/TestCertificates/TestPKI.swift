import Foundation
import Kube

/// A CA, a server certificate (for localhost and 127.0.0.1 unless told otherwise) and a client
/// certificate, made with the openssl CLI in a temporary directory: for TLS tests of the fake
/// server and of anything that talks to it.
public struct TestPKI: Sendable {
    public let directory: URL

    /// - Parameter serverNames: the server certificate's subjectAltName.
    public init(serverNames: String = "DNS:localhost,IP:127.0.0.1") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fakeapi-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        try run("""
            set -e
            openssl req -x509 \(ec) -keyout ca.key -out ca.crt -days 2 -subj /CN=fake-ca \
              -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
            openssl req \(ec) -keyout server.key -out server.csr -subj /CN=localhost
            printf 'subjectAltName=\(serverNames)\\nextendedKeyUsage=serverAuth\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext
            openssl req \(ec) -keyout client.key -out client.csr -subj /CN=tester
            printf 'extendedKeyUsage=clientAuth\\n' > client.ext
            openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 -extfile client.ext
            """)
    }

    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    public func read(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }

    public func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Runs the script with `posix_spawn` (`ChildProcess`): Foundation's `Process.run` can crash
    /// a test process that holds a thousand descriptors.
    private func run(_ script: String) throws {
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "exec 2>&1\n" + script], environment: ProcessInfo.processInfo.environment,
            directory: directory.path)
        close(child.stderr)
        let log = FileHandle(fileDescriptor: child.stdout, closeOnDealloc: true).readDataToEndOfFile()
        guard ChildProcess.Ending(status: child.wait()).code == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: String(decoding: log, as: UTF8.self)])
        }
    }
}
