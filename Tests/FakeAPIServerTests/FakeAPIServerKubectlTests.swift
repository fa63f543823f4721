import FakeAPIServer
import Foundation
import Testing

/// kubectl against the fake: discovery, list, watch and create are enough for it.
@Suite(.enabled(if: Kubectl.path != nil, "kubectl is not installed; skipping the kubectl smoke tests"), .timeLimit(.minutes(1)))
struct FakeAPIServerKubectlTests {
    @Test func getPodsAndCreateFromYAML() async throws {
        try await withFakeServer { server, _ in
            try server.createPod(name: "web-1", labels: ["app": "web"], phase: "Running")
            try server.createPod(namespace: "shop", name: "cart-1")
            let kubectl = try Kubectl(server: server)
            defer { kubectl.remove() }

            let all = try await kubectl.run(["get", "pods", "-A"])
            #expect(all.status == 0, "\(all.output)")
            #expect(all.output.contains("NAMESPACE"))
            #expect(all.output.contains("web-1") && all.output.contains("cart-1"))

            let manifest = kubectl.directory.appendingPathComponent("pod.yaml")
            try """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nginx
                  labels: {app: nginx}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
                """.write(to: manifest, atomically: true, encoding: .utf8)
            let created = try await kubectl.run(["create", "-f", manifest.path, "--validate=false"])
            #expect(created.status == 0, "\(created.output)")
            #expect(created.output.contains("pod/nginx created"))
            #expect(server.pod(name: "nginx")?.labels == ["app": "nginx"])

            let again = try await kubectl.run(["create", "-f", manifest.path, "--validate=false"])
            #expect(again.status != 0)
            #expect(again.output.contains("AlreadyExists"))

            let labelled = try await kubectl.run(["get", "pods", "-l", "app in (nginx)", "-o", "name"])
            #expect(labelled.output.trimmingCharacters(in: .whitespacesAndNewlines) == "pod/nginx")
        }
    }

    @Test func getPodsWatchSeesNewPods() async throws {
        try await withFakeServer { server, _ in
            try server.createPod(name: "first")
            let kubectl = try Kubectl(server: server)
            defer { kubectl.remove() }
            let watch = try kubectl.start(["get", "pods", "-A", "-w"])
            defer { watch.terminate() }
            let request = try #require(await server.waitForRequest(.watch))
            #expect(request.query("resourceVersion") == server.currentResourceVersion)
            try server.createPod(name: "second")
            let output = await watch.waitForOutput(containing: "second")
            #expect(output.contains("first"))
        }
    }
}

/// Runs kubectl with `--server` pointing at the fake and a throwaway config and cache.
struct Kubectl {
    static let path: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        .split(separator: ":").map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    let directory: URL
    let server: String

    init(server: FakeAPIServer) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fakeapi-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.server = server.baseURL
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func start(_ arguments: [String]) throws -> RunningProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path!)
        process.arguments = ["--server", server, "--cache-dir", directory.appendingPathComponent("cache").path,
                             "--request-timeout", "20s"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = directory.appendingPathComponent("kubeconfig").path
        environment["HOME"] = directory.path
        process.environment = environment
        return try RunningProcess(process)
    }

    func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let running = try start(arguments)
        let status = await running.exit()
        return (status, running.output)
    }
}

/// A child process whose stdout and stderr are collected as they come.
final class RunningProcess: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var collected = Data()
    private var waiters: [(String, CheckedContinuation<String, Never>)] = []
    private var exitWaiter: CheckedContinuation<Int32, Never>?
    private var exited = false

    init(_ process: Process) throws {
        self.process = process
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.append(data)
        }
        process.terminationHandler = { [weak self] process in
            self?.finish(process.terminationStatus)
        }
        try process.run()
    }

    var output: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Waits until the output contains `text` (or the process exits); returns the output.
    func waitForOutput(containing text: String) async -> String {
        await withCheckedContinuation { continuation in
            let ready: String? = lock.withLock {
                let output = String(decoding: collected, as: UTF8.self)
                if output.contains(text) || exited { return output }
                waiters.append((text, continuation))
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func exit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status: Int32? = lock.withLock {
                if exited { return process.terminationStatus }
                exitWaiter = continuation
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    private func append(_ data: Data) {
        let ready: [(CheckedContinuation<String, Never>, String)] = lock.withLock {
            collected.append(data)
            let output = String(decoding: collected, as: UTF8.self)
            let done = waiters.filter { output.contains($0.0) }
            waiters.removeAll { output.contains($0.0) }
            return done.map { ($0.1, output) }
        }
        for (continuation, output) in ready { continuation.resume(returning: output) }
    }

    private func finish(_ status: Int32) {
        // Let the pipe drain first: the termination handler can run before the last read.
        let handle = (process.standardOutput as? Pipe)?.fileHandleForReading
        handle?.readabilityHandler = nil
        let rest = handle?.readDataToEndOfFile() ?? Data()
        let (waiting, exitWaiter, output): ([CheckedContinuation<String, Never>], CheckedContinuation<Int32, Never>?, String) = lock.withLock {
            collected.append(rest)
            exited = true
            defer {
                waiters.removeAll()
                self.exitWaiter = nil
            }
            return (waiters.map(\.1), self.exitWaiter, String(decoding: collected, as: UTF8.self))
        }
        waiting.forEach { $0.resume(returning: output) }
        exitWaiter?.resume(returning: status)
    }
}
