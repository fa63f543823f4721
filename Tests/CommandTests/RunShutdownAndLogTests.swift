import FakeAPIServer
import Foundation
import Testing

/// `kubelua run`: shutdown while a handler waits on http, and how handler errors are logged.
@Suite(.timeLimit(.minutes(1)))
struct RunShutdownAndLogTests {
    private func hooks(_ source: String, server: FakeAPIServer) throws -> (folder: String, kubeconfig: String) {
        let folder = NSTemporaryDirectory() + "kubelua-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try source.write(toFile: folder + "/default/h.lua", atomically: true, encoding: .utf8)
        return (folder, try writeKubeconfig(in: folder, server: server))
    }

    private static func records(_ process: KubeluaProcess) -> AsyncCompactMapSequence<AsyncStream<String>, [String: Any]> {
        process.lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// The handler waits on a server that never answers; SIGTERM with a 1 s drain timeout must
    /// stop kubelua then, saying how many handlers it leaves, not after the request times out.
    @Test func theDrainTimeoutHoldsWhileAHandlerWaitsOnHTTP() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        server.inject(.hangAfterHeaders, on: .kind(.get), .always)
        let (folder, kubeconfig) = try hooks("""
            function on_add(pod)
              print('waiting')
              local r, err = http.get(os.getenv('TARGET'), {timeout = 30})
              print('done: ' .. tostring(err))
            end
            """, server: server)
        _ = try server.createPod(name: "p1")
        let process = try KubeluaProcess(
            ["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json", "--drain-timeout", "1", "--time-limit", "40",
             // Every GET hangs here, the state's ConfigMap read included: state in a folder instead.
             "--state-dir", NSTemporaryDirectory(),
             "--pass-env", "TARGET", "--http-allow", "127.0.0.1:\(server.port)"],
            environment: ["TARGET": server.baseURL + "/api/v1/namespaces/default/pods/p1"], readingErrors: true)
        var records = Self.records(process).makeAsyncIterator()
        while let record = await records.next(), record["message"] as? String != "waiting" {}
        process.terminate()
        // Shutting the http client down may cancel the request, so the handler can end after the
        // warning; never before it.
        var warning: [String: Any]?
        var seen: [String] = []
        while let record = await records.next() {
            let message = record["message"] as? String ?? ""
            seen.append(message)
            #expect(warning != nil || !message.hasPrefix("done"), "the handler finished before kubelua stopped: \(seen)")
            if message.hasPrefix("the drain timeout") { warning = record }
        }
        #expect(warning?["message"] as? String == "the drain timeout (1.0 seconds) passed with 1 event(s) not finished; exiting without them")
        #expect(warning?["unfinished"] as? Int == 1)
        #expect(await process.exitStatus() == 0)
    }

    @Test func handlerErrorsCarryThePodFieldsAndTheTracebackAsAField() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let (folder, kubeconfig) = try hooks("""
            function on_add(pod)
              log.info('counted', {restarts = 3, ratio = 0.5, ready = true, name = pod.metadata.name})
              error('boom')
            end
            """, server: server)
        _ = try server.createPod(name: "p1")
        let process = try KubeluaProcess(["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json"], readingErrors: true)
        var records = Self.records(process).makeAsyncIterator()
        var counted: [String: Any]?, failure: [String: Any]?
        while failure == nil, let record = await records.next() {
            if record["message"] as? String == "counted" { counted = record }
            if record["level"] as? String == "error" { failure = record }
        }
        #expect(counted?["restarts"] as? Int == 3)
        #expect(counted?["ratio"] as? Double == 0.5)
        #expect(counted?["ready"] as? Bool == true)
        #expect(counted?["name"] as? String == "p1")
        let message = try #require(failure?["message"] as? String)
        #expect(message.hasSuffix("/default/h.lua:3: boom (pod default/p1) in on_add"), "\(message)")
        #expect(failure?["hook"] as? String == "default/h.lua")
        #expect(failure?["namespace"] as? String == "default")
        #expect(failure?["pod"] as? String == "p1")
        #expect(failure?["event"] as? String == "add")
        #expect((failure?["traceback"] as? String)?.hasPrefix("stack traceback:") == true)
        process.terminate()
        #expect(await process.exitStatus() == 0)
    }

    /// kubelua's own lines, not only the hooks': counts are JSON numbers (issue #18).
    @Test func inJSONLogsKubeluasCountsAreNumbers() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let (folder, kubeconfig) = try hooks("function on_add(pod) end\n", server: server)
        _ = try server.createPod(name: "p1")
        _ = try server.createPod(name: "p2")
        let process = try KubeluaProcess(["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--log-format", "json"], readingErrors: true)
        var records = Self.records(process).makeAsyncIterator()
        var loaded: [String: Any]?, synced: [String: Any]?
        while synced == nil, let record = await records.next() {
            if record["message"] as? String == "hooks loaded" { loaded = record }
            if record["message"] as? String == "pods synced" { synced = record }
        }
        #expect(loaded?["failed"] as? Int == 0 && !(loaded?["failed"] is String), "\(loaded ?? [:])")
        #expect(synced?["pods"] as? Int == 2 && !(synced?["pods"] is String), "\(synced ?? [:])")
        process.terminate()
        #expect(await process.exitStatus() == 0)
    }

    @Test func inTextLogsTheErrorMessageComesBeforeItsTraceback() async throws {
        let server = FakeAPIServer()
        try await server.start()
        defer { Task { try? await server.shutdown() } }
        let (folder, kubeconfig) = try hooks("function on_add(pod)\n  error('boom')\nend\n", server: server)
        _ = try server.createPod(name: "p1")
        let process = try KubeluaProcess(["run", "--hooks", folder, "--kubeconfig", kubeconfig], readingErrors: true)
        var lines: [String] = []
        for await line in process.lines {
            lines.append(line)
            if line.contains("in function 'on_add'") { break }
        }
        let message = try #require(lines.firstIndex { $0.contains("/default/h.lua:2: boom (pod default/p1) in on_add") })
        let traceback = try #require(lines.firstIndex { $0.contains("stack traceback:") })
        #expect(message < traceback, "\(lines)")
        #expect(lines[message].contains("pod=p1") && lines[message].contains("event=add"), "\(lines[message])")
        process.terminate()
        #expect(await process.exitStatus() == 0)
    }
}
