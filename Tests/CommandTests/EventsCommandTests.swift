import FakeAPIServer
import Foundation
import Testing

/// `kubelua events`, the built executable, against the fake server.
@Suite(.timeLimit(.minutes(1)))
struct EventsCommandTests {
    @Test func printsTheInformersEventsAndExitsCleanlyOnSIGTERM() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let a = try server.createPod(name: "a")
        let b = try server.createPod(name: "b")
        let config = try writeKubeconfig(in: NSTemporaryDirectory() + "kubelua-events-" + UUID().uuidString, server: server)
        let kubelua = try KubeluaProcess(["events", "--kubeconfig", config])
        var lines = kubelua.lines.makeAsyncIterator()
        // Each pod's own resource version, not the list's (a's is older than the list).
        #expect(a.resourceVersion != server.currentResourceVersion)
        #expect(await lines.next() == "ADD    default/a  Pending  rv=\(a.resourceVersion)  initial")
        #expect(await lines.next() == "ADD    default/b  Pending  rv=\(b.resourceVersion)  initial")
        #expect(await lines.next() == "SYNCED namespace default")
        let running = try server.setPhase(name: "a", "Running")
        #expect(await lines.next() == "UPDATE default/a  Pending->Running  rv=\(running.resourceVersion)")
        let deleted = try server.delete(name: "b")
        #expect(await lines.next() == "DELETE default/b  Pending  rv=\(deleted.resourceVersion)")
        kubelua.terminate()
        #expect(await kubelua.exitStatus() == 0)
        #expect(await lines.next() == nil)
    }

    /// A bound of one: the list passes it once, then the watch reads one chunk at a time as
    /// the printer catches up. Every event is printed all the same.
    @Test func aBacklogBoundOfOneHoldsTheWatchBackButDropsNothing() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        for name in ["a", "b", "c"] { _ = try server.createPod(name: name) }
        let config = try writeKubeconfig(in: NSTemporaryDirectory() + "kubelua-events-" + UUID().uuidString, server: server)
        let kubelua = try KubeluaProcess(["events", "--kubeconfig", config, "--max-backlog", "1"])
        var lines = kubelua.lines.makeAsyncIterator()
        for _ in 0..<4 { _ = await lines.next() }
        var versions: [String] = []
        for round in 0..<20 { versions.append(try server.touch(name: ["a", "b", "c"][round % 3]).resourceVersion) }
        var printed: [String] = []
        while printed.count < versions.count, let line = await lines.next() { printed.append(line) }
        #expect(printed.map { $0.components(separatedBy: "rv=").last ?? "" } == versions)
        kubelua.terminate()
        #expect(await kubelua.exitStatus() == 0)

        let refused = try await KubeluaProcess.run(["events", "--kubeconfig", config, "--max-backlog", "0"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("--max-backlog must be at least 1"), "\(refused.errors)")
    }

    @Test(arguments: ["missing", "broken"])
    func aBadKubeconfigFailsNamingTheFile(_ kind: String) async throws {
        let folder = NSTemporaryDirectory() + "kubelua-events-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = folder + "/" + kind + ".yaml"
        if kind == "broken" { try "clusters: [unclosed\n".write(toFile: config, atomically: true, encoding: .utf8) }
        let run = try await KubeluaProcess.run(["events", "--kubeconfig", config])
        #expect(run.status != 0)
        #expect(run.errors.contains(config), "\(run.errors)")
        #expect(run.lines.isEmpty)
    }
}
