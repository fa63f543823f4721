import FakeAPIServer
import Foundation
import Testing

/// Bearer-token auth and TLS with client certificates.
@Suite struct FakeAPIServerSecurityTests {
    /// A token tests can rotate while the server runs.
    final class Token: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String
        init(_ value: String) { self.value = value }
        var current: String { lock.withLock { value } }
        func rotate(to new: String) { lock.withLock { value = new } }
    }

    @Test func bearerTokenIsRequiredAndCanRotate() async throws {
        let token = Token("first")
        try await withFakeServer({ $0.bearerToken = { token.current } }) { server, client in
            let anonymous = try await client.request("GET", "/api/v1/pods")
            #expect(anonymous.status == 401)
            #expect(anonymous.json["reason"] as? String == "Unauthorized")
            #expect(anonymous.json["kind"] as? String == "Status")

            var authed = client
            authed.bearerToken = "first"
            #expect(try await authed.request("GET", "/api/v1/pods").status == 200)
            let watch = try await authed.open("GET", "/api/v1/pods?watch=true")
            #expect(watch.status == 200)
            watch.close()

            token.rotate(to: "second")
            #expect(try await authed.request("GET", "/api/v1/pods").status == 401)
            authed.bearerToken = "second"
            #expect(try await authed.request("GET", "/api/v1/pods").status == 200)

            #expect(server.requests.map(\.auth) == [.rejected, .accepted, .accepted, .rejected, .accepted])
            #expect(server.requests[1].header("Authorization") == "<redacted>")
        }
    }

    @Test func faultsSkipRejectedRequests() async throws {
        try await withFakeServer({ $0.bearerToken = { "t" } }) { server, client async throws in
            server.inject(.status(code: 503), on: .list)
            #expect(try await client.request("GET", "/api/v1/pods").status == 401)
            var authed = client
            authed.bearerToken = "t"
            #expect(try await authed.request("GET", "/api/v1/pods").status == 503)
        }
    }

    @Test func tlsWithClientCertificates() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let tls = try FakeAPIServer.TLS(certificateChainFile: pki.path("server.crt"), privateKeyFile: pki.path("server.key"),
                                        clientCAFile: pki.path("ca.crt"))
        try await withFakeServer({ $0.tls = tls }) { server, plain in
            #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
            try server.createPod(name: "secure")

            let withCertificate = WireClient(port: server.port, tls: WireClient.TLS(
                caPEM: try pki.read("ca.crt"), certificatePEM: try pki.read("client.crt"), privateKeyPEM: try pki.read("client.key")))
            let list = try await withCertificate.request("GET", "/api/v1/pods")
            #expect(list.status == 200)
            #expect(itemNames(list.json) == ["secure"])
            let watch = try await withCertificate.open("GET", "/api/v1/pods?watch=true&resourceVersion=0")
            #expect(await watch.lines(1).first?.name == "secure")
            watch.close()

            // No client certificate: the handshake fails, so no response ever arrives (the client
            // sees either a closed channel or a TLS error, depending on timing).
            let withoutCertificate = WireClient(port: server.port, tls: WireClient.TLS(caPEM: try pki.read("ca.crt")))
            await #expect(throws: (any Error).self) {
                _ = try await withoutCertificate.request("GET", "/api/v1/pods")
            }
            // Plain HTTP to the TLS port gets no HTTP response either.
            await #expect(throws: WireError.self) {
                _ = try await plain.request("GET", "/api/v1/pods")
            }
        }
    }
}

/// A CA, a server certificate (for localhost and 127.0.0.1 unless told otherwise) and a client
/// certificate, made with the openssl CLI in a temporary directory.
struct TestPKI {
    let directory: URL

    /// - Parameter serverNames: the server certificate's subjectAltName.
    init(serverNames: String = "DNS:localhost,IP:127.0.0.1") throws {
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

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func read(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    private func run(_ script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let log = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: String(decoding: log, as: UTF8.self)])
        }
    }
}
