import FakeAPIServer
import Foundation
import Kube
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
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = directory.appendingPathComponent("kubeconfig").path
        environment["HOME"] = directory.path
        return try RunningProcess(
            Self.path!, ["--server", server, "--cache-dir", directory.appendingPathComponent("cache").path, "--request-timeout", "20s"] + arguments,
            environment: environment)
    }

    func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let running = try start(arguments)
        let status = await running.exit()
        return (status, running.output)
    }
}

/// A child process whose stdout and stderr are collected as they come. Started with
/// `posix_spawn` (`ChildProcess`): Foundation's `Process.run` can crash a test process that
/// holds a thousand descriptors.
final class RunningProcess: @unchecked Sendable {
    private let child: ChildProcess
    private let lock = NSLock()
    private var collected = Data()
    private var waiters: [(String, CheckedContinuation<String, Never>)] = []
    private var exitWaiter: CheckedContinuation<Int32, Never>?
    private var status: Int32?

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        child = try ChildProcess(executable: executable, arguments: arguments, environment: environment)
        let readers = DispatchGroup()
        for descriptor in [child.stdout, child.stderr] {
            readers.enter()
            DispatchQueue.global().async { [self] in
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while case let count = read(descriptor, &buffer, buffer.count), count > 0 { append(Data(buffer[..<count])) }
                close(descriptor)
                readers.leave()
            }
        }
        DispatchQueue.global().async { [self, child] in
            let ending = ChildProcess.Ending(status: child.wait())
            readers.wait()
            finish(ending.signalled ? 128 + ending.code : ending.code)
        }
    }

    var output: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    func terminate() {
        if lock.withLock({ status == nil }) { kill(child.pid, SIGTERM) }
    }

    /// Waits until the output contains `text` (or the process exits); returns the output.
    func waitForOutput(containing text: String) async -> String {
        await withCheckedContinuation { continuation in
            let ready: String? = lock.withLock {
                let output = String(decoding: collected, as: UTF8.self)
                if output.contains(text) || status != nil { return output }
                waiters.append((text, continuation))
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func exit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let ended: Int32? = lock.withLock {
                if let status { return status }
                exitWaiter = continuation
                return nil
            }
            if let ended { continuation.resume(returning: ended) }
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

    /// The child has ended and both pipes are drained.
    private func finish(_ code: Int32) {
        let (waiting, exitWaiter, output): ([CheckedContinuation<String, Never>], CheckedContinuation<Int32, Never>?, String) = lock.withLock {
            status = code
            defer {
                waiters.removeAll()
                self.exitWaiter = nil
            }
            return (waiters.map(\.1), self.exitWaiter, String(decoding: collected, as: UTF8.self))
        }
        waiting.forEach { $0.resume(returning: output) }
        exitWaiter?.resume(returning: code)
    }
}
