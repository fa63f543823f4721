import Foundation
import Testing
@testable import Kube

@Suite("secrets never print", .timeLimit(.minutes(1)))
struct RedactionTests {
    let dir = TestDirectory()
    let log = LogCapture()

    static let token = "TOKENSECRET123"
    static let password = "PASSWORDSECRET"
    static let envSecret = "ENVSECRET456"
    static let argSecret = "ARGSECRET789"

    /// Every way a value can be turned into text.
    func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    func expectNoSecret(_ value: Any, _ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in renderings(value) {
            for secret in secrets {
                #expect(!text.contains(secret), "\(type(of: value)) shows a secret: \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func connectionWithTokenAndClientKey() async throws {
        let connection = try dir.connect(Fixtures.kubeconfig(user: [
            "token: \(Self.token)",
            "client-certificate-data: \(Fixtures.base64(Fixtures.clientCertPEM))",
            "client-key-data: \(Fixtures.base64(Fixtures.keyPEM))",
        ]), logger: log.logger)
        let secrets = [Self.token, Fixtures.keySecret, Fixtures.base64(Fixtures.keyPEM)]
        expectNoSecret(connection, secrets)
        expectNoSecret(connection.tls, secrets)
        expectNoSecret(try #require(connection.tls.clientCertificate), secrets)
        expectNoSecret(try #require(connection.credentials), secrets)
        expectNoSecret(StaticTokenSource(token: Self.token), secrets)
        #expect(try await connection.credentials?.token() == Self.token)
        #expect(connection.description.contains("static token <redacted>"))
        #expect(connection.description.contains("client certificate"))
        #expect(!log.text.contains(Self.token))
    }

    @Test func parsedKubeconfigTypes() throws {
        let text = """
            users:
            - name: u
              user:
                token: \(Self.token)
                password: \(Self.password)
                client-key-data: \(Fixtures.base64(Fixtures.keyPEM))
            - name: e
              user:
                exec:
                  command: plugin
                  apiVersion: client.authentication.k8s.io/v1
                  args: ["--token=\(Self.argSecret)"]
                  env: [{name: SECRET, value: \(Self.envSecret)}]
            """
        let config = try Kubeconfig(parsing: Array(text.utf8), path: "/k")
        let secrets = [Self.token, Self.password, Self.envSecret, Self.argSecret, Fixtures.base64(Fixtures.keyPEM)]
        expectNoSecret(config, secrets)
        expectNoSecret(KubeconfigSet(files: [config]), secrets)
        expectNoSecret(config.users[0].value, secrets)
        expectNoSecret(try #require(config.users[1].value.exec), secrets)
        expectNoSecret(Redacted(Self.token), secrets)
        #expect(config.users[1].value.exec?.description.contains("env: [SECRET]") == true)
    }

    @Test func tokenSourcesAndCredentials() async throws {
        dir.write("token", Self.token)
        let file = try FileTokenSource(path: dir.path("token"), environment: dir.environment(), logger: log.logger)
        #expect(try await file.token() == Self.token)
        expectNoSecret(file, [Self.token])

        dir.write("plugin.sh", """
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"\(Self.token)"}}'
            """, executable: true)
        let exec = KubeconfigExec(command: dir.path("plugin.sh"), args: ["--token=\(Self.argSecret)"],
                                  env: [.init(name: "SECRET", value: Self.envSecret)],
                                  apiVersion: "client.authentication.k8s.io/v1")
        let source = try ExecCredentialSource(exec: exec, environment: dir.environment(), logger: log.logger)
        #expect(try await source.token() == Self.token)
        expectNoSecret(source, [Self.token, Self.argSecret, Self.envSecret])
        expectNoSecret(ExecCredential(token: Self.token, expiration: nil), [Self.token])
        #expect(!log.text.contains(Self.token) && !log.text.contains(Self.envSecret) && !log.text.contains(Self.argSecret))
    }

    @Test func environmentShowsVariableNamesOnly() {
        let environment = dir.environment(["AWS_SECRET_ACCESS_KEY": Self.envSecret])
        expectNoSecret(environment, [Self.envSecret])
        #expect(environment.description.contains("AWS_SECRET_ACCESS_KEY"))
    }

    @Test func inClusterConnection() async throws {
        dir.write("sa/token", Self.token)
        let connection = try KubeConnection.inCluster(
            environment: dir.environment(["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "443"]), logger: log.logger)
        #expect(try await connection.credentials?.token() == Self.token)
        expectNoSecret(connection, [Self.token])
        #expect(!log.text.contains(Self.token))
    }
}
