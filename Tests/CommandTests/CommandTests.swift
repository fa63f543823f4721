import FakeAPIServer
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct CommandTests {
    @Test func demoPrintsTheJobPodsStoryAndExitsZero() async throws {
        let run = try await KubeluaProcess.run(["demo", "--hooks", "hooks"])
        #expect(run.status == 0, "\(run.errors)")
        let jobPod = try #require(run.lines.compactMap { line in
            line.firstMatch(of: /Pod <(busybox-[a-z0-9]{5})> was added by Job <busybox>\./).map { String($0.1) }
        }.first)
        let jobLines = run.lines.filter { $0.contains("<\(jobPod)>") }
        #expect(jobLines == [
            "Pod <\(jobPod)> was added by Job <busybox>.",
            "Pod <\(jobPod)> is Pending phase.",
            "Pod <\(jobPod)> is Succeeded phase. previous: Pending phase",
            "Pod <\(jobPod)> was deleted.",
        ])
        #expect(run.lines.contains("Pod <crashy> is Failed phase. previous: Running phase"))
        #expect(run.lines.filter { $0.contains("was added by ReplicaSet <nginx-deploy-") }.count == 2)
        // The crash responder acted on the cluster: the server holds its Event and label.
        #expect(run.lines.suffix(2) == [
            "Event Warning CrashLoopBackOff on Pod crashy: container main keeps crashing (3 restarts)",
            "Pod crashy labels: kubelua.io/crash-looping=true",
        ])
        // The narration names no hook file: the hooks may be the user's own.
        #expect(!run.lines.contains { $0.hasPrefix("---") && $0.contains(".lua") })
    }

    @Test func demoWithTheUsersOwnHooksListsEveryLabelAndAnnotationTheyChanged() async throws {
        let folder = NSTemporaryDirectory() + "kubelua-demo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try """
            function on_add(pod)
              if pod.metadata.name ~= 'crashy' then return end
              kube.label(pod, {team = 'a', app = json.null})
              kube.annotate(pod, {note = 'seen'})
            end
            """.write(toFile: folder + "/default/mine.lua", atomically: true, encoding: .utf8)
        let run = try await KubeluaProcess.run(["demo", "--hooks", folder])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.lines.suffix(3) == ["--- what the hooks changed in the cluster", "Pod crashy labels: app-, team=a", "Pod crashy annotations: note=seen"])
    }

    @Test func checkReportsEachProblemAndExitsOne() async throws {
        let folder = NSTemporaryDirectory() + "kubelua-check-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try "function on_add(pod)\n  local x = = 1\nend\n".write(toFile: folder + "/default/broken.lua", atomically: true, encoding: .utf8)
        try "function on_add(pod) end\n".write(toFile: folder + "/default/fine.lua", atomically: true, encoding: .utf8)
        let broken = try await KubeluaProcess.run(["check", "--hooks", folder])
        #expect(broken.status == 1)
        #expect(broken.lines.count == 1)
        #expect(broken.lines.first?.hasSuffix("/default/broken.lua:2: unexpected symbol near '='") == true)

        try FileManager.default.removeItem(atPath: folder + "/default/broken.lua")
        let fine = try await KubeluaProcess.run(["check", "--hooks", folder])
        #expect(fine.status == 0)
        #expect(fine.lines.isEmpty)
        #expect(fine.errors.contains("1 hook(s) loaded, 0 problem(s)"))
    }

    @Test func replayExitsOneWhenAHandlerRaises() async throws {
        let folder = NSTemporaryDirectory() + "kubelua-replay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try "function on_add(pod) if pod.metadata.name == 'b' then error('no b') end print('saw ' .. pod.metadata.name) end\n"
            .write(toFile: folder + "/default/h.lua", atomically: true, encoding: .utf8)
        let events = (["a", "b", "c"].map { name in
            #"{"type":"ADDED","object":{"metadata":{"name":"\#(name)","namespace":"default","uid":"\#(name)","resourceVersion":"1"}}}"#
        }).joined(separator: "\n")
        try events.write(toFile: folder + "/events.ndjson", atomically: true, encoding: .utf8)
        let run = try await KubeluaProcess.run(["replay", "--hooks", folder, folder + "/events.ndjson"])
        #expect(run.status == 1)
        #expect(run.lines == ["saw a", "saw c"])
        #expect(run.errors.contains("default/h.lua:1: no b (pod default/b) in on_add"))
    }

    @Test func runDrainsInFlightHandlersOnSIGTERMAndExitsZero() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let folder = NSTemporaryDirectory() + "kubelua-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        // A handler long enough that SIGTERM arrives while it runs: it must still finish.
        try """
            function on_add(pod)
              print('start ' .. pod.metadata.name)
              local n = 0
              for i = 1, 3e7 do n = n + i end
              print('end ' .. pod.metadata.name)
            end
            """.write(toFile: folder + "/default/slow.lua", atomically: true, encoding: .utf8)
        let kubeconfig = try writeKubeconfig(in: folder, server: server)
        _ = try server.createPod(name: "p1")
        let process = try KubeluaProcess([
            "run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json", "--instruction-limit", "1000000000",
            "--time-limit", "60",
        ], readingErrors: true)
        // The hook's lines are JSON log records on standard error, among kubelua's own.
        let messages = process.lines.compactMap { line -> [String: String]? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }.filter { $0["logger"] == "hook" }
        var records = messages.makeAsyncIterator()
        let start = await records.next()
        #expect(start?["message"] == "start p1")
        #expect(start?["pod"] == "p1")
        #expect(start?["hook"] == "default/slow.lua")
        process.terminate() // SIGTERM
        #expect(await records.next()?["message"] == "end p1")
        #expect(await process.exitStatus() == 0)
    }

    /// `kubelua run` re-executes itself once with its glibc malloc tunables (glibc reads them
    /// only at start), unless the environment already sets malloc tunables of its own.
    @Test(arguments: [
        (nil, "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=100"),
        ("glibc.malloc.arena_max=4", "glibc.malloc.arena_max=4"),
        ("glibc.rtld.optional_static_tls=512", "glibc.rtld.optional_static_tls=512:glibc.malloc.arena_max=2:glibc.malloc.tcache_count=100"),
    ] as [(String?, String)])
    func runStartsWithItsAllocatorTunables(given: String?, seen: String) async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let folder = NSTemporaryDirectory() + "kubelua-tunables-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try "function on_add(pod) print('tunables ' .. tostring(os.getenv('GLIBC_TUNABLES'))) end"
            .write(toFile: folder + "/default/env.lua", atomically: true, encoding: .utf8)
        let kubeconfig = try writeKubeconfig(in: folder, server: server)
        _ = try server.createPod(name: "p1")
        var environment = ProcessInfo.processInfo.environment
        environment["GLIBC_TUNABLES"] = given
        let process = try KubeluaProcess(
            ["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json", "--pass-env", "GLIBC_TUNABLES"],
            replacingEnvironment: environment, readingErrors: true)
        let messages = process.lines.compactMap { line -> String? in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String])?["message"]
        }.filter { $0.hasPrefix("tunables ") }
        var records = messages.makeAsyncIterator()
        #expect(await records.next() == "tunables " + seen)
        process.terminate()
        #expect(await process.exitStatus() == 0)
    }
}
