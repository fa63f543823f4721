import FakeAPIClient
import FakeAPIServer
import Foundation
import TestCertificates
import Testing

/// Bearer-token auth and TLS with client certificates.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerSecurityTests {
    @Test func bearerTokenIsRequiredAndCanRotate() async throws {
        let token = RotatingToken("first")
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
