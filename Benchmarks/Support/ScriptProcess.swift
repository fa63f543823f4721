import Foundation
import Synchronization

/// Runs a script with an interpreter found in PATH (lua5.4, python3) and collects what it
/// printed: how the benchmarks run their references and peers.
public struct ScriptProcess {
    public let status: Int32
    public let output: Data
    /// Standard error, trimmed.
    public let errors: String

    /// Writes `script` to a temporary file, runs `interpreter file arguments…` and waits for it.
    /// Throws when the interpreter is not in PATH or cannot be started.
    public static func run(_ interpreter: String, script: String, arguments: [String]) throws -> ScriptProcess {
        guard let executable = findExecutable(interpreter) else { throw ScriptProcessError(description: "\(interpreter) not found in PATH") }
        let scriptFile = FileManager.default.temporaryDirectory.appendingPathComponent("kubelua-script-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scriptFile) }
        try Data(script.utf8).write(to: scriptFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [scriptFile.path] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Standard error is drained alongside, so a chatty script cannot fill its pipe and stall.
        let errorText = Mutex(Data())
        let drained = DispatchGroup()
        DispatchQueue.global().async(group: drained) {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorText.withLock { $0 = data }
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        let stderr = errorText.withLock { String(decoding: $0, as: UTF8.self) }
        return ScriptProcess(status: process.terminationStatus, output: stdout, errors: stderr.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `name` itself when it is a path, else the first executable of that name in PATH.
    public static func findExecutable(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

public struct ScriptProcessError: Error, CustomStringConvertible {
    public let description: String
}
