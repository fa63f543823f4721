import Foundation

/// What a reference run under `lua5.4` produced: its figures, or why there are none.
public enum LuaReferenceOutcome<Figures: Decodable> {
    case measured(Figures)
    case unavailable(String)
}

/// Runs a benchmark script with `lua5.4` and decodes the JSON object it prints. A script exits
/// with status 3 when `require "cjson"` fails, so the report can say lua-cjson is missing.
public enum LuaReferenceRun {
    public static func run<Figures: Decodable>(script: String, arguments: [String]) -> LuaReferenceOutcome<Figures> {
        guard let lua = findExecutable("lua5.4") else { return .unavailable("lua5.4 not found in PATH") }
        let scriptFile = FileManager.default.temporaryDirectory.appendingPathComponent("kubelua-reference-\(getpid())-\(UUID().uuidString).lua")
        defer { try? FileManager.default.removeItem(at: scriptFile) }
        do {
            try Data(script.utf8).write(to: scriptFile)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: lua)
            process.arguments = [scriptFile.path] + arguments
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let stdout = output.fileHandleForReading.readDataToEndOfFile()
            let stderr = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                return .unavailable(process.terminationStatus == 3 ? "lua-cjson not available: \(message)" : "lua5.4 failed: \(message)")
            }
            return .measured(try JSONDecoder().decode(Figures.self, from: stdout))
        } catch {
            return .unavailable("reference run failed: \(error)")
        }
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
