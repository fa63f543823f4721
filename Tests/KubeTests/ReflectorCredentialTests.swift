import FakeAPIClient
import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// Fault matrix row 22: tokens that change while the reflector runs. The fake server takes one
/// bearer token at a time, from a provider the test rotates.
@Suite(.timeLimit(.minutes(1)))
struct ReflectorCredentialTests {
    let dir = TestDirectory()

    /// Prints an ExecCredential with token tok-N on its Nth run, expiring at the time in the
    /// file `expiry` next to it (never, without one), and counts its runs in `runs`.
    static let plugin = """
        #!/bin/sh
        dir=$(dirname "$0")
        echo run >> "$dir/runs"
        n=$(wc -l < "$dir/runs" | tr -d ' ')
        exp=""
        if [ -s "$dir/expiry" ]; then exp=",\\"expirationTimestamp\\":\\"$(cat "$dir/expiry")\\""; fi
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s"%s}}\\n' "$n" "$exp"
        """

    /// A kubeconfig user running `plugin`.
    var execUser: [String] {
        dir.write("plugin.sh", Self.plugin, executable: true)
        return [
            "exec:",
            "  command: \(dir.path("plugin.sh"))",
            "  apiVersion: client.authentication.k8s.io/v1",
            "  interactiveMode: Never",
        ]
    }

    /// A change the watch delivers, so that closing it is a normal end, not a failed round.
    func changeAndWait(_ h: ReflectorHarness) async throws -> FakePod {
        let changed = try h.server.setPhase(name: "a", "Running")
        await h.waitForEvents(2)
        return changed
    }

    var pluginRuns: Int { dir.lineCount("runs") }

    @Test("row 22: a rotated token file is sent from the very next request")
    func rotatedTokenFileIsUsedByTheNextRequest() async throws {
        let accepted = RotatingToken("first")
        try await withReflectorHarness({ $0.bearerToken = { accepted.current } }) { h in
            try h.server.createPod(name: "a")
            let file = dir.write("token", "first\n")
            let connection = try dir.connect(Fixtures.kubeconfig(server: h.serverURL.absoluteString, user: ["tokenFile: \(file)"]))
            try h.startReflector(connection: connection)
            await h.waitForSynced()
            _ = try await changeAndWait(h)
            dir.write("token", "second\n")
            accepted.rotate(to: "second")
            await h.server.closeWatches()

            #expect(try await h.request(.watch, 2).auth == .accepted)
            #expect(h.server.requests.map(\.auth) == [.accepted, .accepted, .accepted])
            #expect(h.delays.isEmpty)
        }
    }

    @Test("row 22: a 401 invalidates the exec credential and retries after backoff, one plugin run per refusal")
    func unauthorizedRefreshesTheExecCredential() async throws {
        let accepted = RotatingToken("tok-1")
        try await withReflectorHarness({ $0.bearerToken = { accepted.current } }) { h in
            try h.server.createPod(name: "a")
            let connection = try dir.connect(Fixtures.kubeconfig(server: h.serverURL.absoluteString, user: execUser))
            try h.startReflector(connection: connection)
            await h.waitForSynced()
            let a = try await changeAndWait(h)
            // The server revokes tok-1; the plugin's second token is refused too, its third taken.
            accepted.rotate(to: "tok-3")
            await h.server.closeWatches()

            let recovered = try await h.request(.watch, 4)
            #expect(recovered.auth == .accepted)
            #expect(recovered.query("resourceVersion") == a.resourceVersion)
            #expect(h.server.requests.map(\.auth) == [.accepted, .accepted, .rejected, .rejected, .accepted])
            #expect(pluginRuns == 3)
            #expect(h.delays.count == 2)
            for (round, delay) in h.delays.enumerated() {
                #expect(backoffBounds(round: round).contains(delay), "round \(round): \(delay)")
            }
            try h.server.setPhase(name: "a", "Succeeded")
            await h.waitForEvents(3)
            #expect(h.briefs == ["add a initial", "synced", "update a Running", "update a Succeeded"])
            #expect(h.requests(.list).count == 1)
        }
    }

    @Test("row 22: an expired exec credential is renewed before the next request, without a 401")
    func expiredExecCredentialIsRenewedBeforeTheNextRequest() async throws {
        let accepted = RotatingToken("tok-1")
        let clock = TestClock()
        try await withReflectorHarness({ $0.bearerToken = { accepted.current } }) { h in
            try h.server.createPod(name: "a")
            // The test clock starts at 22:13:20.
            dir.write("expiry", "2023-11-14T22:14:20Z")
            let connection = try dir.connect(Fixtures.kubeconfig(server: h.serverURL.absoluteString, user: execUser), clock: clock)
            try h.startReflector(connection: connection)
            await h.waitForSynced()
            _ = try await changeAndWait(h)
            dir.write("expiry", "2023-11-14T23:00:00Z")
            clock.advance(120)
            accepted.rotate(to: "tok-2")
            await h.server.closeWatches()

            #expect(try await h.request(.watch, 2).auth == .accepted)
            #expect(h.server.requests.map(\.auth) == [.accepted, .accepted, .accepted])
            #expect(pluginRuns == 2)
            #expect(h.delays.isEmpty)
        }
    }
}
