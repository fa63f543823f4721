import Foundation
import Testing
@testable import Kube

@Suite("user: tokens and client certificates", .timeLimit(.minutes(1)))
struct UserAuthTests {
    let dir = TestDirectory()
    var file: String { dir.path("config") }

    @Test func staticToken() async throws {
        let connection = try dir.connect(Fixtures.kubeconfig(user: ["token: abc.def"]))
        let credentials = try #require(connection.credentials)
        #expect(try await credentials.token() == "abc.def")
        await credentials.invalidate()
        #expect(try await credentials.token() == "abc.def")
    }

    @Test func tokenFileRotationIsPickedUpOnTheNextCall() async throws {
        dir.write("token", "first-token\n")
        let connection = try dir.connect(Fixtures.kubeconfig(user: ["tokenFile: token"]))
        let credentials = try #require(connection.credentials)
        #expect(try await credentials.token() == "first-token")
        dir.write("token", "second-token-rotated")
        #expect(try await credentials.token() == "second-token-rotated")
        // An in-place rewrite of the same length is a new modification time.
        try Data("third-token-rotated!".utf8).write(to: URL(fileURLWithPath: dir.path("token")))
        #expect(try await credentials.token() == "third-token-rotated!")
    }

    @Test func tokenFileKeepsTheLastTokenWhenTheFileVanishes() async throws {
        dir.write("token", "still-good")
        let log = LogCapture()
        let source = try FileTokenSource(path: dir.path("token"), environment: dir.environment(), logger: log.logger)
        try FileManager.default.removeItem(atPath: dir.path("token"))
        #expect(try await source.token() == "still-good")
        #expect(log.text.contains("keeping the previous token"))
        #expect(!log.text.contains("still-good"))
    }

    @Test func tokenFileIsReReadAfterInvalidateAndAfterMaximumAge() async throws {
        // A fake file system whose identity never changes: only invalidate and age force reads.
        let files = FixedIdentityFileSystem(contents: "one")
        let clock = TestClock()
        let environment = KubeEnvironment(variables: [:], fileSystem: files, now: { clock.now })
        let source = try FileTokenSource(path: "/t", environment: environment, maximumAge: 60, logger: LogCapture().logger)
        files.set("two")
        #expect(try await source.token() == "one")
        await source.invalidate(rejecting: "not-the-current-one")
        #expect(try await source.token() == "one")
        await source.invalidate(rejecting: "one")
        #expect(try await source.token() == "two")
        files.set("three")
        clock.advance(59)
        #expect(try await source.token() == "two")
        clock.advance(1)
        #expect(try await source.token() == "three")
    }

    @Test func emptyOrMissingTokenFileIsAnError() {
        dir.write("token", "  \n")
        let empty = expectConfigError(.invalidField) { _ = try dir.connect(Fixtures.kubeconfig(user: ["tokenFile: token"])) }
        #expect(empty?.description == #"kubeconfig \#(file): users[0] "u": tokenFile \#(dir.path("token")) is empty"#)
        let missing = expectConfigError(.fileNotFound) { _ = try dir.connect(Fixtures.kubeconfig(user: ["tokenFile: nope"])) }
        #expect(missing?.description == #"kubeconfig \#(file): users[0] "u": cannot read tokenFile \#(dir.path("nope")): No such file or directory"#)
    }

    @Test func tokenFileWinsOverToken() async throws {
        dir.write("token", "from-file")
        let connection = try dir.connect(Fixtures.kubeconfig(user: ["token: inline", "tokenFile: token"]))
        #expect(try await connection.credentials?.token() == "from-file")
    }

    @Test func inlineClientCertificate() throws {
        let connection = try dir.connect(Fixtures.kubeconfig(user: [
            "client-certificate-data: \(Fixtures.base64(Fixtures.clientCertPEM))",
            "client-key-data: \(Fixtures.base64(Fixtures.keyPEM))",
        ]))
        let certificate = try #require(connection.tls.clientCertificate)
        #expect(certificate.certificateChain == Array(Fixtures.clientCertPEM.utf8))
        #expect(certificate.privateKey.value == Array(Fixtures.keyPEM.utf8))
        #expect(connection.credentials == nil)
    }

    @Test func clientCertificateFilesWithAToken() async throws {
        dir.write("pki/cert.pem", Fixtures.clientCertPEM)
        dir.write("pki/key.pem", Fixtures.keyPEM)
        let connection = try dir.connect(Fixtures.kubeconfig(user: [
            "client-certificate: pki/cert.pem", "client-key: pki/key.pem", "token: both-work",
        ]))
        #expect(connection.tls.clientCertificate?.certificateChain == Array(Fixtures.clientCertPEM.utf8))
        #expect(try await connection.credentials?.token() == "both-work")
    }

    @Test func badClientKeyMaterial() throws {
        let text = """
            current-context: m
            clusters:
            - name: c
              cluster: {server: "https://x"}
            users:
            - name: other
              user: {}
            - name: admin
              user:
                client-certificate-data: \(Fixtures.base64(Fixtures.clientCertPEM))
                client-key-data: "not base64!"
            contexts:
            - name: m
              context: {cluster: c, user: admin}
            """
        let base64 = expectConfigError(.invalidField) { _ = try dir.connect(text) }
        #expect(base64?.description == #"kubeconfig \#(file): users[1] "admin": client-key-data: invalid base64"#)

        try FileManager.default.createDirectory(atPath: dir.path("key-dir"), withIntermediateDirectories: true)
        dir.write("cert.pem", Fixtures.clientCertPEM)
        let unreadable = expectConfigError(.unreadableFile) {
            _ = try dir.connect(Fixtures.kubeconfig(user: ["client-certificate: cert.pem", "client-key: key-dir"]))
        }
        #expect(unreadable?.description == #"kubeconfig \#(file): users[0] "u": cannot read client-key \#(dir.path("key-dir")): Is a directory"#)

        dir.write("key.pem", "just text")
        let notPEM = expectConfigError(.invalidField) {
            _ = try dir.connect(Fixtures.kubeconfig(user: ["client-certificate: cert.pem", "client-key: key.pem"]))
        }
        #expect(notPEM?.message == #"users[0] "u": client-key \#(dir.path("key.pem")): not a PEM private key (no BEGIN ... PRIVATE KEY line)"#)
    }

    @Test func certificateWithoutKeyAndKeyWithoutCertificate() {
        let noKey = expectConfigError(.missingField) {
            _ = try dir.connect(Fixtures.kubeconfig(user: ["client-certificate-data: \(Fixtures.base64(Fixtures.clientCertPEM))"]))
        }
        #expect(noKey?.message == #"users[0] "u": client-key-data or client-key: missing (a client certificate is set)"#)
        let noCertificate = expectConfigError(.missingField) {
            _ = try dir.connect(Fixtures.kubeconfig(user: ["client-key-data: \(Fixtures.base64(Fixtures.keyPEM))"]))
        }
        #expect(noCertificate?.message == #"users[0] "u": client-certificate-data or client-certificate: missing (a client key is set)"#)
    }

    @Test func unsupportedAuthenticationIsRefusedClearly() {
        let basic = expectConfigError(.unsupported) {
            _ = try dir.connect(Fixtures.kubeconfig(user: ["username: admin", "password: hunter2"]))
        }
        #expect(basic?.description.hasPrefix(#"kubeconfig \#(file): users[0] "u": username/password: basic authentication is not supported"#) == true)
        #expect(basic?.description.contains("hunter2") == false)

        let provider = expectConfigError(.unsupported) {
            _ = try dir.connect(Fixtures.kubeconfig(user: ["auth-provider: {name: gcp, config: {access-token: ya29.secret}}"]))
        }
        #expect(provider?.message.hasPrefix(#"users[0] "u": auth-provider "gcp": legacy auth providers are not supported"#) == true)
        #expect(provider?.description.contains("ya29") == false)

        let impersonation = expectConfigError(.unsupported) {
            _ = try dir.connect(Fixtures.kubeconfig(user: ["token: t", "as: someone-else"]))
        }
        #expect(impersonation?.message == #"users[0] "u": as: impersonation is not supported"#)

        let twoMethods = expectConfigError(.invalidField) {
            _ = try dir.connect(Fixtures.kubeconfig(user: [
                "token: t", "exec: {command: x, apiVersion: client.authentication.k8s.io/v1}",
            ]))
        }
        #expect(twoMethods?.message == #"users[0] "u": more than one authentication method (token, exec); only one is allowed"#)
    }
}

/// Serves one changeable content under a constant identity, so only invalidation and age can
/// make `FileTokenSource` re-read.
final class FixedIdentityFileSystem: KubeFileSystem, @unchecked Sendable {
    private let lock = NSLock()
    private var text: String

    init(contents: String) { text = contents }

    func set(_ contents: String) { lock.withLock { text = contents } }

    func contents(of path: String) throws(KubeFileError) -> [UInt8] { lock.withLock { Array(text.utf8) } }

    func identity(of path: String) -> KubeFileIdentity? {
        KubeFileIdentity(device: 1, inode: 1, size: 1, modifiedSeconds: 1, modifiedNanoseconds: 1)
    }

    func isExecutableFile(_ path: String) -> Bool { false }
}
