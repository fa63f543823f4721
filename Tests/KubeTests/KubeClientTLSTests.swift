import FakeAPIServer
import Foundation
import TestCertificates
import Testing
@testable import Kube

/// HTTPS with a locally made CA, server and client certificates (openssl), the connection
/// built from a kubeconfig file carrying them inline, as clusters hand them out.
@Suite(.timeLimit(.minutes(1)))
final class KubeClientTLSTests {
    let dir = TestDirectory()
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    deinit { pki.remove() }

    /// The fake server on HTTPS, requiring client certificates from `pki`'s CA.
    func serverTLS(_ pki: TestPKI? = nil) throws -> FakeAPIServer.TLS {
        let pki = pki ?? self.pki
        return try FakeAPIServer.TLS(certificateChainFile: pki.path("server.crt"), privateKeyFile: pki.path("server.key"),
                              clientCAFile: pki.path("ca.crt"))
    }

    /// A connection from a kubeconfig for `server` with `cluster` lines and, unless told
    /// otherwise, the PKI's client certificate and key.
    func connect(_ server: URL, cluster: [String], clientCertificate: Bool = true, pki: TestPKI? = nil) throws -> KubeConnection {
        let pki = pki ?? self.pki
        let user = clientCertificate ? [
            "client-certificate-data: \(try base64(pki, "client.crt"))",
            "client-key-data: \(try base64(pki, "client.key"))",
        ] : nil
        return try dir.connect(Fixtures.kubeconfig(server: server.absoluteString, cluster: cluster, user: user))
    }

    func caData(_ pki: TestPKI) throws -> String {
        "certificate-authority-data: \(try base64(pki, "ca.crt"))"
    }

    @Test func reflectorListsAndWatchesOverTLSWithAClientCertificate() async throws {
        let tls = try serverTLS()
        try await withReflectorHarness({ $0.tls = tls }) { h in
            try h.server.createPod(name: "secure")
            let connection = try connect(h.serverURL, cluster: [try caData(pki)])
            #expect(connection.tls.clientCertificate != nil && connection.tls.trustRoots != nil)
            try h.startReflector(connection: connection)
            await h.waitForSynced()
            try h.server.setPhase(name: "secure", "Running")
            await h.waitForEvents(2)
            #expect(h.briefs == ["add secure initial", "synced", "update secure Running"])
        }
    }

    @Test func anUnknownCertificateAuthorityIsATransportFailureAndTheReflectorBacksOff() async throws {
        let tls = try serverTLS()
        let otherPKI = try TestPKI()
        defer { otherPKI.remove() }
        try await withReflectorHarness({ $0.tls = tls }) { h in
            try h.server.createPod(name: "secure")
            let connection = try connect(h.serverURL, cluster: [try caData(otherPKI)])
            let client = try h.startReflector(connection: connection)
            #expect(isTransportFailure(await listFailure(client)))
            await h.waitForSleeps(2)
            #expect(!h.isSynced)
            #expect(h.server.requests.isEmpty, "no request gets past the handshake")
        }
    }

    @Test func insecureSkipVerifyAcceptsAnUnknownServer() async throws {
        let tls = try serverTLS()
        try await withReflectorHarness({ $0.tls = tls }) { h in
            try h.server.createPod(name: "secure")
            let connection = try connect(h.serverURL, cluster: ["insecure-skip-tls-verify: true"])
            #expect(connection.tls.insecureSkipVerify && connection.tls.trustRoots == nil)
            try h.startReflector(connection: connection)
            await h.waitForSynced()
            #expect(h.briefs == ["add secure initial", "synced"])
        }
    }

    @Test func tlsServerNameIsVerifiedInsteadOfTheAddress() async throws {
        // A certificate naming only api.internal: the address alone does not match it.
        let namedPKI = try TestPKI(serverNames: "DNS:api.internal")
        defer { namedPKI.remove() }
        let tls = try serverTLS(namedPKI)
        try await withReflectorHarness({ $0.tls = tls }) { h in
            try h.server.createPod(name: "secure")
            func client(_ cluster: [String]) throws -> KubeClient {
                try KubeClient(connection: connect(h.serverURL, cluster: [try caData(namedPKI)] + cluster, pki: namedPKI), logger: h.logger)
            }
            let named = try client(["tls-server-name: api.internal"])
            let page = try await named.listPods(PodQuery(namespace: "default"), .init(resourceVersion: "", continueToken: nil, limit: nil))
            #expect(page.items.map(\.key.name) == ["secure"])
            try await named.shutdown()

            for cluster in [[], ["tls-server-name: other.example"]] {
                let misnamed = try client(cluster)
                #expect(isTransportFailure(await listFailure(misnamed)), "\(cluster)")
                try await misnamed.shutdown()
            }
        }
    }

    /// The failures users meet first, described without the TLS library's own dump.
    @Test func tlsMistakesAreDescribedWithAHint() async throws {
        let tls = try serverTLS()
        let otherPKI = try TestPKI()
        defer { otherPKI.remove() }
        try await withReflectorHarness({ $0.tls = tls }) { h in
            let plain = URL(string: "http://127.0.0.1:\(h.server.port)")!
            let cases: [(KubeConnection, String)] = [
                (try connect(h.serverURL, cluster: [try caData(otherPKI)]),
                 "TLS: the server's certificate is not trusted (check certificate-authority and tls-server-name in the kubeconfig)"),
                (try connect(plain, cluster: []),
                 "the server closed the connection before answering (does it expect TLS? is the URL https:// ?)"),
            ]
            for (connection, message) in cases {
                let client = try KubeClient(connection: connection, logger: h.logger)
                let failure = await listFailure(client)
                #expect(failure?.description == message, "\(String(describing: failure))")
                try await client.shutdown()
            }
        }
    }

    @Test func noClientCertificateIsATransportFailure() async throws {
        let tls = try serverTLS()
        try await withReflectorHarness({ $0.tls = tls }) { h in
            let client = try KubeClient(connection: connect(h.serverURL, cluster: [try caData(pki)], clientCertificate: false), logger: h.logger)
            #expect(isTransportFailure(await listFailure(client)))
            try await client.shutdown()
        }
    }
}

private func base64(_ pki: TestPKI, _ name: String) throws -> String {
    Data(try pki.read(name)).base64EncodedString()
}

/// Why listing the default namespace failed; nil if it succeeded.
private func listFailure(_ client: KubeClient) async -> KubeRequestFailure? {
    do {
        _ = try await client.listPods(PodQuery(namespace: "default"), .init(resourceVersion: "", continueToken: nil, limit: nil))
        return nil
    } catch {
        return error
    }
}

private func isTransportFailure(_ failure: KubeRequestFailure?) -> Bool {
    if case .transport? = failure { true } else { false }
}
