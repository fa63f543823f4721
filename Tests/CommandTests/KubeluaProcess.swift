import FakeAPIServer
import Foundation

/// The built `kubelua` binary run as a user would run it, with its output read line by line.
final class KubeluaProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    let lines: AsyncStream<String>

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
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        process.environment = replacingEnvironment ?? ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = errors
        let (stream, continuation) = AsyncStream<String>.makeStream()
        lines = stream
        let handle = (readingErrors ? errors : output).fileHandleForReading
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
        try process.run()
    }

    /// Waits for the process to exit and returns its status.
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }.start()
        }
    }

    var standardError: String {
        String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
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
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/kubeconfig"
    try """
        apiVersion: v1
        kind: Config
        clusters: [{name: fake, cluster: {server: "\(server.baseURL)"}}]
        users: [{name: me, user: {token: not-checked}}]
        contexts: [{name: fake, context: {cluster: fake, user: me, namespace: default}}]
        current-context: fake
        """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
