import FakeAPIServer
import Foundation
import Glibc
import Kube

/// The built `kubelua` binary run as a user would run it, with its output read line by line.
/// Started with `posix_spawn` (`ChildProcess`), not Foundation's `Process`, whose `run` can
/// crash a process with as many descriptors open as this test process has.
final class KubeluaProcess: Sendable {
    private let child: ChildProcess
    let lines: AsyncStream<String>
    /// The stream `lines` does not read, read whole by `standardError`.
    private let otherOutput: FileHandle

    /// The repository root, for `hooks/` and `examples/`.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `kubelua` sits next to the test bundle in the build products folder.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kubelua")
    }

    /// `lines` reads standard output, or standard error when `readingErrors` (where `run` logs).
    /// The process gets this process's environment with `environment` added, or exactly
    /// `replacingEnvironment` when given.
    init(
        _ arguments: [String], environment: [String: String] = [:], replacingEnvironment: [String: String]? = nil,
        readingErrors: Bool = false
    ) throws {
        child = try ChildProcess(
            executable: Self.binary.path, arguments: arguments,
            environment: replacingEnvironment ?? ProcessInfo.processInfo.environment.merging(environment) { $1 },
            directory: Self.repository.path)
        let output = FileHandle(fileDescriptor: child.stdout, closeOnDealloc: true)
        let errors = FileHandle(fileDescriptor: child.stderr, closeOnDealloc: true)
        otherOutput = readingErrors ? output : errors
        let handle = readingErrors ? errors : output
        let (stream, continuation) = AsyncStream<String>.makeStream()
        lines = stream
        Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            continuation.finish()
        }.start()
    }

    var processIdentifier: pid_t { child.pid }

    /// Sends SIGTERM, as a user's Ctrl-C would send SIGINT.
    func terminate() {
        kill(child.pid, SIGTERM)
    }

    /// Waits for the process to exit and returns its status (the signal's number if one ended it).
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread { [child] in
                continuation.resume(returning: ChildProcess.Ending(status: child.wait()).code)
            }.start()
        }
    }

    var standardError: String {
        String(decoding: otherOutput.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Runs to completion and returns the exit status, standard output lines and standard error.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, lines: [String], errors: String) {
        let process = try KubeluaProcess(arguments, environment: environment)
        var lines: [String] = []
        for await line in process.lines { lines.append(line) }
        let status = await process.exitStatus()
        return (status, lines, process.standardError)
    }
}

/// A kubeconfig whose current context points at `server`, namespace default.
func writeKubeconfig(in folder: String, server: FakeAPIServer) throws -> String {
    try writeKubeconfig(in: folder, server: server.baseURL)
}

/// A kubeconfig whose current context points at the API server at `server` (a URL), namespace default.
func writeKubeconfig(in folder: String, server: String) throws -> String {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/kubeconfig"
    try """
        apiVersion: v1
        kind: Config
        clusters: [{name: fake, cluster: {server: "\(server)"}}]
        users: [{name: me, user: {token: not-checked}}]
        contexts: [{name: fake, context: {cluster: fake, user: me, namespace: default}}]
        current-context: fake
        """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
