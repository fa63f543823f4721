import FakeAPIServer
import Foundation
import Testing

/// What a new user trips over: errors that say what to do, and no hangs or crashes on the way.
@Suite(.timeLimit(.minutes(1)))
struct CommandUsabilityTests {
    private func folder(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "kubelua-usability-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    /// A missing hooks folder is an error message and exit 1, not a trap over an HTTP client
    /// left running (debug builds check that every client is shut down).
    @Test(arguments: [["demo"], ["run", "--kubeconfig", "KUBECONFIG"], ["replay", "EVENTS"]])
    func aMissingHooksFolderIsAnErrorNotACrash(command: [String]) async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let root = try folder(["events.json": #"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"1"}}}"#])
        let kubeconfig = try writeKubeconfig(in: root, server: server)
        let arguments = command.map { $0 == "KUBECONFIG" ? kubeconfig : $0 == "EVENTS" ? root + "/events.json" : $0 }
        let run = try await KubeluaProcess.run(arguments + ["--hooks", root + "/nonexistent"])
        #expect(run.status == 1, "\(run.errors)")
        #expect(run.errors.contains("\(root)/nonexistent: no such hooks folder"), "\(run.errors)")
        #expect(!run.errors.contains("not shut down"), "\(run.errors)")
    }

    @Test func demoWithoutHooksForDefaultSaysSoAndExits() async throws {
        let root = try folder(["other/h.lua": "function on_add(pod) print(pod.metadata.name) end"])
        let run = try await KubeluaProcess.run(["demo", "--hooks", root])
        #expect(run.status == 1)
        #expect(run.lines.isEmpty)
        #expect(run.errors.contains("\(root): no hooks for namespace default, where the demo plays"), "\(run.errors)")
    }

    @Test func replayErrorsNameTheFileAndPlaceWithoutUsageText() async throws {
        let deployments = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nginx", "namespace": "default", "resourceVersion": "5"}}
            ]}
            """
        let root = try folder([
            "default/h.lua": "function on_add(pod) print(pod.metadata.name) end",
            "deployments.json": deployments, "empty.json": "\n", "pods.yaml": "apiVersion: v1\nkind: Pod\n", "text.txt": "hello\n",
            "broken.json": "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"1\"}}}\n{\"type\":\"ADDED\",\"object\":{\"metadata\":{}}}\n",
        ])
        let expected = [
            "deployments.json": "deployments.json:2:3: item 1 of the list is a Deployment (default/nginx), not a Pod: replay reads pods only",
            "empty.json": "empty.json: no events",
            "pods.yaml": "pods.yaml:1:1: not JSON: this looks like YAML, which replay does not read (record with -o json)",
            "text.txt": "text.txt:1:1: not JSON: found 'h' where a JSON object should start",
            "broken.json": "broken.json:2:26: pod without metadata.name",
            "missing.json": "missing.json: cannot read the file: No such file or directory",
        ]
        for (file, message) in expected {
            let run = try await KubeluaProcess.run(["replay", "--hooks", root, root + "/" + file])
            #expect(run.status == 1)
            #expect(run.lines.isEmpty)
            #expect(run.errors == root + "/" + message + "\n", "\(run.errors)")
        }
    }

    @Test func checkWarnsAboutWhatWouldNeverRunOrNeverResolve() async throws {
        let root = try folder([
            "default/h.lua": "function onAdd(pod)\n  io.write(pod.metadata.name)\nend\n",
            "stray.lua": "function on_add(pod) end",
        ])
        let run = try await KubeluaProcess.run(["check", "--hooks", root])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.lines == [
            "\(root)/stray.lua: ignored: a hook belongs in a namespace folder (\(root)/<namespace>/stray.lua, or _all/ for all)",
            "\(root)/default/h.lua:1: warning: 'onAdd' is not a handler name, so it never runs; did you mean 'on_add'?",
            "\(root)/default/h.lua: warning: defines no handler (on_add, on_update, on_delete, on_phase, on_timer, on_schedule, on_start), so it never runs",
            "\(root)/default/h.lua:2: warning: 'io' is not available in the kubelua sandbox",
        ])
        #expect(run.errors.contains("1 hook(s) loaded, 0 problem(s), 4 warning(s)"))

        let file = try await KubeluaProcess.run(["check", "--hooks", root + "/default/h.lua"])
        #expect(file.status == 1)
        #expect(file.errors.contains("a file, not a folder: --hooks takes the hooks folder"), "\(file.errors)")
    }

    @Test func versionAndHelp() async throws {
        let version = try await KubeluaProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.lines.count == 1 && version.lines[0].firstMatch(of: /^\d+\.\d+\.\d+$/) != nil, "\(version.lines)")
        let help = try await KubeluaProcess.run(["run", "--help"])
        #expect(help.lines.joined(separator: "\n").components(separatedBy: "critical").count == 2, "\(help.lines)")
    }

    @Test func runSaysNamespacesComeFromFolders() async throws {
        let run = try await KubeluaProcess.run(["run", "-n", "production"])
        #expect(run.status != 0)
        #expect(run.errors.contains("run takes its namespaces from the hooks folder"), "\(run.errors)")
        #expect(run.errors.contains("hooks/production/NAME.lua"), "\(run.errors)")
    }

    @Test func eventsTakesCommaSeparatedNamespacesAndRefusesInvalidNames() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        _ = try server.createPod(namespace: "other", name: "o")
        let config = try writeKubeconfig(in: try folder([:]), server: server)
        let kubelua = try KubeluaProcess(["events", "--kubeconfig", config, "-n", "default,other"])
        var synced: Set<String> = []
        for await line in kubelua.lines where line.hasPrefix("SYNCED") {
            synced.insert(line)
            if synced.count == 2 { break }
        }
        #expect(synced == ["SYNCED namespace default", "SYNCED namespace other"])
        kubelua.terminate()
        #expect(await kubelua.exitStatus() == 0)

        let invalid = try await KubeluaProcess.run(["events", "--kubeconfig", config, "-n", "Default"])
        #expect(invalid.status != 0)
        #expect(invalid.errors.contains("'Default' is not a namespace name"), "\(invalid.errors)")
    }

    @Test(arguments: [
        ["--time-limit", "0"], ["--time-limit=-1"], ["--memory-limit", "0"], ["--instruction-limit", "0"], ["--total-memory-limit=-5"],
    ])
    func limitsOfZeroOrBelowAreRefusedNamingTheFlag(limit: [String]) async throws {
        let flag = String(limit[0].prefix { $0 != "=" })
        for command in ["check", "replay"] {
            let run = try await KubeluaProcess.run([command] + limit + (command == "replay" ? ["EVENTS"] : []))
            #expect(run.status != 0)
            #expect(run.errors.contains("\(flag) must be a positive number of"), "\(command) \(limit): \(run.errors)")
        }
    }

    @Test(arguments: [
        (["--leader-elect", "--renew-deadline", "15"], "--renew-deadline (15 s) must be shorter than --lease-duration (15 s)"),
        (["--leader-elect", "--lease-duration", "8"], "--renew-deadline (10 s) must be shorter than --lease-duration (8 s)"),
        (["--leader-elect", "--retry-period", "10"], "--renew-deadline (10 s) must be longer than --retry-period (10 s)"),
        (["--leader-elect", "--retry-period", "0"], "--retry-period must be a positive number of seconds (got 0)"),
        (["--leader-elect", "--lease-duration", "0"], "--lease-duration must be a whole number of seconds, at least 1 (got 0)"),
        (["--leader-elect", "--leader-election-id", "Kubelua"], "--leader-election-id Kubelua: not a Lease name"),
        (["--lease-duration", "30"], "--lease-duration takes effect only with --leader-elect"),
        (["--history-memory", "32"], "--history-memory takes effect only with --leader-elect"),
        (["--leader-elect", "--history-events=-1"], "--history-events must be 0 or more (got -1)"),
        (["--shards", "3"], "--shards takes effect only with --leader-elect"),
        (["--leader-elect", "--shards", "0"], "--shards must be a whole number from 1 to 64 (got 0)"),
        (["--leader-elect", "--shards", "65"], "--shards must be a whole number from 1 to 64 (got 65)"),
        (["--leader-elect", "--shards", "two"], "'--shards <N>'"),
        (["--leader-elect", "--shards", "2", "--leader-election-id", String(repeating: "k", count: 250)], "too long for --shards 2"),
    ])
    func leaderElectionTimingsOutOfOrderAreRefusedNamingTheFlag(arguments: [String], error: String) async throws {
        let run = try await KubeluaProcess.run(["run"] + arguments)
        #expect(run.status != 0)
        #expect(run.errors.contains(error), "\(arguments): \(run.errors)")
    }
}
