import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// What the log says when the API server cannot be reached or is not one: the server, the
/// kubeconfig context, what is likely wrong, and that the reflector retries (and when).
@Suite(.timeLimit(.minutes(1)))
struct ConnectionFailureTests {
    static let origin = #"kubeconfig /home/u/.kube/config context "dev""#

    /// Starts a reflector against `server` and returns the warning it logs for its first
    /// failed request, with the backoff it then waited.
    func firstFailure(
        _ h: ReflectorHarness, server: String, credentials: (any BearerTokenSource)? = nil
    ) async throws -> (line: String, delay: Duration) {
        let connection = KubeConnection(server: URL(string: server)!, credentials: credentials, origin: Self.origin)
        try h.startReflector(connection: connection)
        let delays = await h.waitForSleeps(1)
        let line = h.log.text.split(separator: "\n").first { $0.hasPrefix("warning pod list") }.map(String.init) ?? ""
        return (line, try #require(delays.first))
    }

    @Test func aRefusedConnectionNamesTheServerAndSaysItRetries() async throws {
        let port = try await unusedPort()
        try await withReflectorHarness(holdingSleeps: true, startServer: false) { h in
            let (line, delay) = try await firstFailure(h, server: "http://127.0.0.1:\(port)")
            #expect(line.hasPrefix(
                "warning pod list for namespace default failed: http://127.0.0.1:\(port) (\(Self.origin)): "
                    + "connection refused (is the API server running, and is this the right port?); retrying in \(delay.secondsText) "),
                "\(line)")
            #expect(!h.log.text.contains("reset"))
        }
    }

    @Test func httpsToAPlainHTTPPortSaysTheServerDidNotSpeakTLS() async throws {
        try await withReflectorHarness(holdingSleeps: true) { h in
            let (line, delay) = try await firstFailure(h, server: "https://127.0.0.1:\(h.server.port)")
            #expect(line.hasPrefix(
                "warning pod list for namespace default failed: https://127.0.0.1:\(h.server.port) (\(Self.origin)): "
                    + "the server did not speak TLS — is the URL http:// ?; retrying in \(delay.secondsText) "),
                "\(line)")
            #expect(!line.contains("BoringSSL") && !line.contains("SSL_R"))
        }
    }

    @Test func aNotFoundPodsPathAsksWhetherThisIsAnAPIServer() async throws {
        try await withReflectorHarness(holdingSleeps: true) { h in
            let (line, delay) = try await firstFailure(h, server: "http://127.0.0.1:\(h.server.port)/proxy/")
            #expect(line.hasPrefix(
                "warning pod list for namespace default failed: http://127.0.0.1:\(h.server.port)/proxy/ (\(Self.origin)): "
                    + "HTTP 404: is this a Kubernetes API server? path /proxy/api/v1/namespaces/default/pods not found; "
                    + "retrying in \(delay.secondsText) "),
                "\(line)")
        }
    }

    @Test func aForbiddenListPointsAtTheRole() async throws {
        try await withReflectorHarness(holdingSleeps: true) { h in
            h.server.inject(.status(code: 403), on: .list, .nth(1))
            let (line, delay) = try await firstFailure(h, server: "http://127.0.0.1:\(h.server.port)")
            #expect(line.contains("): HTTP 403 "), "\(line)")
            #expect(line.contains(
                "(the identity may not list and watch pods here: check its Role or ClusterRole); retrying in \(delay.secondsText) "),
                "\(line)")
        }
    }

    @Test func aMissingExecPluginNamesTheCommandAndPATH() async throws {
        let dir = TestDirectory()
        let exec = KubeconfigExec(command: "kubelua-no-such-plugin", apiVersion: "client.authentication.k8s.io/v1")
        let plugin = try ExecCredentialSource(exec: exec, environment: dir.environment(), logger: LogCapture().logger)
        try await withReflectorHarness(holdingSleeps: true) { h in
            let (line, delay) = try await firstFailure(h, server: "http://127.0.0.1:\(h.server.port)", credentials: plugin)
            #expect(line.contains(
                #"exec plugin "kubelua-no-such-plugin": command not found: "kubelua-no-such-plugin" is not in PATH (PATH is /usr/bin:/bin)"#),
                "\(line)")
            #expect(line.hasPrefix("warning pod list for namespace default failed: http://127.0.0.1:\(h.server.port) (\(Self.origin)): "))
            #expect(line.contains("; retrying in \(delay.secondsText) "))
            #expect(h.requests(.list).isEmpty, "no request goes out without the credential")
        }
    }
}
