import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// `kubelua events`, the built executable, against the fake server.
@Suite(.timeLimit(.minutes(1)))
struct EventsCommandTests {
    let dir = TestDirectory()

    @Test func printsTheInformersEventsAndExitsCleanlyOnSIGTERM() async throws {
        try await withFakeServer { server, _ in
            try server.createPod(name: "a")
            try server.createPod(name: "b")
            let listed = server.currentResourceVersion
            let config = dir.write("kubeconfig", Fixtures.kubeconfig(server: server.baseURL, user: nil))
            let kubelua = try KubeluaProcess(["events", "--kubeconfig", config], home: dir.path("home"))

            #expect(await kubelua.waitForLines(3) == [
                "ADD    default/a  Pending  rv=\(listed)  initial",
                "ADD    default/b  Pending  rv=\(listed)  initial",
                "SYNCED namespace default",
            ])
            let running = try server.setPhase(name: "a", "Running")
            #expect(await kubelua.waitForLines(4).last == "UPDATE default/a  Pending->Running  rv=\(running.resourceVersion)")
            let deleted = try server.delete(name: "b")
            #expect(await kubelua.waitForLines(5).last == "DELETE default/b  Pending  rv=\(deleted.resourceVersion)")

            #expect(await kubelua.terminate() == 0, "\(kubelua.standardError)")
            #expect(kubelua.lines.all.count == 5)
        }
    }

    @Test(arguments: ["missing", "broken"])
    func aBadKubeconfigFailsNamingTheFile(_ kind: String) async throws {
        let config = kind == "missing" ? dir.path("missing.yaml") : dir.write("broken.yaml", "clusters: [unclosed\n")
        let kubelua = try KubeluaProcess(["events", "--kubeconfig", config], home: dir.path("home"))
        let status = try #require(await kubelua.waitForExit())
        #expect(status != 0)
        #expect(kubelua.standardError.contains(config), "\(kubelua.standardError)")
        #expect(kubelua.lines.all.isEmpty)
    }
}
