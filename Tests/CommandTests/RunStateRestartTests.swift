import FakeAPIServer
import Foundation
import Testing

/// `kubelua run` stopped and started again as a process, against the fake API server: the
/// hooks' state comes back from its ConfigMap, on_phase fires only for what changed meanwhile,
/// and a pod deleted meanwhile arrives as a tombstone.
@Suite(.timeLimit(.minutes(2)))
struct RunStateRestartTests {
    static let hook = """
        function on_start(ctx) print("start alerted=" .. tostring(state.get("alerted"))) end
        function on_phase(pod, from, to)
          print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to)
          if to == "Failed" then state.set("alerted", (state.get("alerted") or 0) + 1) end
        end
        function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. " tombstone=" .. tostring(ctx.tombstone)) end
        """

    /// Runs kubelua until it has printed every line of `awaited`, then stops it (SIGTERM);
    /// returns what the hook printed.
    static func run(folder: String, kubeconfig: String, until awaited: Set<String>) async throws -> [String] {
        let process = try KubeluaProcess(["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json"], readingErrors: true)
        var printed: [String] = []
        for await line in process.lines {
            guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
            #expect(record["level"] as? String != "error", "\(record)")
            // What the hook printed: its lines carry the hook's path.
            guard record["hook"] as? String == "default/h.lua", let text = record["message"] as? String else { continue }
            printed.append(text)
            if awaited.isSubset(of: printed) { break }
        }
        process.terminate()
        #expect(await process.exitStatus() == 0)
        return printed
    }

    @Test func aRestartedRunAlertsOncePerTransitionWithItsStateBack() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let folder = NSTemporaryDirectory() + "kubelua-restart-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try Self.hook.write(toFile: folder + "/default/h.lua", atomically: true, encoding: .utf8)
        let kubeconfig = try writeKubeconfig(in: folder, server: server)
        try server.createPod(name: "job-1", phase: "Failed")
        try server.createPod(name: "job-2", phase: "Running")
        try server.createPod(name: "gone")

        let first = try await Self.run(folder: folder, kubeconfig: kubeconfig, until: ["phase job-1 nil Failed", "phase job-2 nil Running", "phase gone nil Pending"])
        #expect(first.contains("start alerted=nil") && first.contains("phase job-1 nil Failed"), "\(first)")

        try server.setPhase(name: "job-2", "Failed")
        try server.delete(name: "gone")
        try server.createPod(name: "marker")
        let second = try await Self.run(folder: folder, kubeconfig: kubeconfig, until: ["phase job-2 Running Failed", "delete gone tombstone=true", "phase marker nil Pending"])
        // job-1 stays Failed: no second alert; job-2 failed while kubelua was away: one, from Running.
        #expect(second.first == "start alerted=1", "\(second)")
        #expect(Set(second.dropFirst()) == ["phase job-2 Running Failed", "delete gone tombstone=true", "phase marker nil Pending"], "\(second)")
        // The values and one shard of phase memory.
        let stored = server.objects(.configMaps, namespace: "default").compactMap { ($0["data"] as? [String: String])?["state.json"] }
        #expect(stored.count == 2 && stored.contains { $0.contains(#""alerted":2"#) }, "\(stored)")
    }
}
