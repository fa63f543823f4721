import FakeAPIClient
import Foundation
import Glibc
import Kube
import Testing

/// `kubelua run` against a Kubernetes API emulator that is not ours: kmock's (a third party's,
/// from PyPI, installed by `make test`), over real HTTP. It keeps neither resourceVersions nor
/// UIDs and answers every watch with all its objects as ADDED before the changes, so it checks
/// what our own fake server cannot: that we read another party's idea of the API the same way.
@Suite(.timeLimit(.minutes(2)), .enabled(if: KMockEmulator.isInstalled, "kmock is installed by `make test` (make interop-deps)"))
struct KMockInteropTests {
    static let hook = """
        function on_add(pod, ctx) print("add " .. pod.metadata.name .. (ctx.initial and " initial" or "")) end
        function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. (ctx.tombstone and " tombstone" or "")) end
        function on_phase(pod, from, to) print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to) end
        """

    /// One `kubelua run` and what its hook prints, read as it comes.
    struct Run {
        let process: KubeluaProcess
        var printed: AsyncCompactMapSequence<AsyncStream<String>, String>.AsyncIterator

        init(folder: String, kubeconfig: String) throws {
            process = try KubeluaProcess(
                ["run", "--hooks", folder, "--kubeconfig", kubeconfig, "--state-dir", folder + "/state", "--log-format", "json"],
                readingErrors: true)
            printed = process.lines.compactMap { line -> String? in
                guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
                #expect(record["level"] as? String != "error", "\(line)")
                // What the hook printed: the `hook` logger's lines (kubelua's own name the hook too).
                return record["logger"] as? String == "hook" ? record["message"] as? String : nil
            }.makeAsyncIterator()
        }

        /// The next `count` lines the hook prints (fewer: the process ended first). Reading a
        /// count, not up to an awaited line, makes a wrong line fail the test at once.
        mutating func next(_ count: Int) async -> [String] {
            var lines: [String] = []
            while lines.count < count, let line = await printed.next() { lines.append(line) }
            return lines
        }

        /// SIGTERM; returns the exit status.
        func stop() async -> Int32 {
            process.terminate()
            return await process.exitStatus()
        }
    }

    /// A hooks folder with `hook` as `default/h.lua`, a state folder, and a kubeconfig for `emulator`.
    static func setUp(hook: String, against emulator: KMockEmulator) throws -> (folder: String, kubeconfig: String) {
        let folder = NSTemporaryDirectory() + "kubelua-kmock-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/default", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/state", withIntermediateDirectories: true)
        try hook.write(toFile: folder + "/default/h.lua", atomically: true, encoding: .utf8)
        return (folder, try writeKubeconfig(in: folder, server: "http://127.0.0.1:\(emulator.port)"))
    }

    @Test func eachTransitionOnceAcrossChangesDeletesAndARestartAgainstKMock() async throws {
        let emulator = try KMockEmulator()
        defer { emulator.stop() }
        let (folder, kubeconfig) = try Self.setUp(hook: Self.hook, against: emulator)
        try await emulator.create("a")

        var first = try Run(folder: folder, kubeconfig: kubeconfig)
        #expect(await first.next(2) == ["add a initial", "phase a nil Pending"])
        try await emulator.patch("a", phase: "Running")
        #expect(await first.next(1) == ["phase a Pending Running"])
        // kmock's watch starts with every pod as ADDED again: a known pod, so no second add.
        try await emulator.create("b")
        #expect(await first.next(2) == ["add b", "phase b nil Pending"])
        try await emulator.create("c")
        #expect(await first.next(2) == ["add c", "phase c nil Pending"])
        try await emulator.delete("a")
        #expect(await first.next(1) == ["delete a"])
        #expect(await first.stop() == 0)

        // While kubelua is stopped: b finishes, c goes. Their phases come back from --state-dir.
        try await emulator.patch("b", phase: "Succeeded")
        try await emulator.delete("c")
        var second = try Run(folder: folder, kubeconfig: kubeconfig)
        #expect(Set(await second.next(3)) == ["add b initial", "phase b Pending Succeeded", "delete c tombstone"])
        #expect(await second.stop() == 0)
    }

    /// A hook's writes go to kmock as it understands the API: a merge patch of the pod's labels
    /// and an events.k8s.io/v1 Event about it, both stored.
    @Test func aHooksPatchAndEventReachKMock() async throws {
        let emulator = try KMockEmulator()
        defer { emulator.stop() }
        let (folder, kubeconfig) = try Self.setUp(hook: """
            function on_add(pod, ctx)
              local _, err = kube.patch(pod, { metadata = { labels = { seen = "yes" } } })
              local _, failed = kube.event(pod, { type = "Normal", reason = "Seen", message = "seen by kubelua" })
              print("wrote " .. pod.metadata.name .. " " .. tostring(err and err.message) .. " " .. tostring(failed and failed.message))
            end
            """, against: emulator)
        try await emulator.create("a")

        var run = try Run(folder: folder, kubeconfig: kubeconfig)
        #expect(await run.next(1) == ["wrote a nil nil"])
        #expect(await run.stop() == 0)
        let pod = try await emulator.get("/api/v1/namespaces/default/pods/a")
        #expect((pod["metadata"] as? [String: Any])?["labels"] as? [String: String] == ["seen": "yes"], "\(pod)")
        let events = try await emulator.get("/apis/events.k8s.io/v1/namespaces/default/events")["items"] as? [[String: Any]]
        let event = try #require(events?.first, "\(String(describing: events))")
        #expect(event["reason"] as? String == "Seen" && event["note"] as? String == "seen by kubelua" && event["type"] as? String == "Normal")
        #expect((event["regarding"] as? [String: Any])?["name"] as? String == "a")
    }
}

/// `scripts/kmock-emulator.py` in `make test`'s virtual environment, on a port of its own.
final class KMockEmulator: Sendable {
    static let python = KubeluaProcess.repository.appendingPathComponent(".build-interop/venv/bin/python").path
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: python) }

    private let child: ChildProcess
    let port: Int
    private let client: WireClient

    init() throws {
        child = try ChildProcess(
            executable: Self.python, arguments: [KubeluaProcess.repository.appendingPathComponent("scripts/kmock-emulator.py").path],
            environment: ProcessInfo.processInfo.environment)
        // What it logs is read and dropped, so that it never blocks on a full pipe.
        let errors = FileHandle(fileDescriptor: child.stderr, closeOnDealloc: true)
        Thread { while !errors.availableData.isEmpty {} }.start()
        // Its first line is the port.
        let output = FileHandle(fileDescriptor: child.stdout, closeOnDealloc: true)
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw KMockError(message: "kmock-emulator.py printed no port: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
        client = WireClient(port: port)
    }

    struct KMockError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func stop() {
        kill(child.pid, SIGTERM)
        _ = child.wait()
    }

    func create(_ name: String, phase: String = "Pending") async throws {
        let pod: [String: Any] = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": name, "namespace": "default"],
            "spec": ["containers": [["name": "main", "image": "busybox"]]], "status": ["phase": phase],
        ]
        try await send("POST", "/api/v1/namespaces/default/pods", pod, contentType: "application/json")
    }

    func patch(_ name: String, phase: String) async throws {
        try await send("PATCH", "/api/v1/namespaces/default/pods/\(name)", ["status": ["phase": phase]], contentType: "application/merge-patch+json")
    }

    func delete(_ name: String) async throws {
        try await send("DELETE", "/api/v1/namespaces/default/pods/\(name)", nil, contentType: nil)
    }

    /// The object at `path`, as JSON.
    func get(_ path: String) async throws -> [String: Any] {
        let response = try await client.request("GET", path)
        guard response.status == 200 else { throw KMockError(message: "GET \(path): HTTP \(response.status) \(response.text)") }
        return response.json
    }

    private func send(_ method: String, _ path: String, _ body: [String: Any]?, contentType: String?) async throws {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await client.request(method, path, headers: contentType.map { [("Content-Type", $0)] } ?? [], body: bytes)
        guard (200..<300).contains(response.status) else {
            throw KMockError(message: "\(method) \(path): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
    }
}
