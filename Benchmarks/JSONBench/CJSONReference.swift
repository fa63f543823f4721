import Foundation

/// The reference: Debian's `lua5.4` with lua-cjson decoding (and encoding) the same documents.
/// The documents are written one per line to a temp file; the Lua script reads them all first
/// and times only the loops with `os.clock`, so interpreter start-up and I/O are excluded.
struct CJSONReference {
    struct Figures: Decodable {
        let decode_seconds: Double
        let decode_bytes: Int
        let encode_seconds: Double
        let encode_bytes: Int
        let docs: Int
        let cjson: String
    }

    enum Outcome {
        case measured(Figures)
        case unavailable(String)
    }

    static let script = """
        local ok, cjson = pcall(require, "cjson")
        if not ok then io.stderr:write(tostring(cjson):match("[^\\n]*"), "\\n") os.exit(3) end
        local path, count, rounds = arg[1], tonumber(arg[2]), tonumber(arg[3])
        local docs = {}
        for line in io.lines(path) do docs[#docs + 1] = line end
        local pool = #docs
        local decode, encode = cjson.decode, cjson.encode
        for i = 1, pool do decode(docs[i]) end -- warm-up

        local bytes = 0
        for i = 1, count do bytes = bytes + #docs[(i - 1) % pool + 1] end
        local best = math.huge
        for _ = 1, rounds do
          local t0 = os.clock()
          for i = 1, count do
            local value = decode(docs[(i - 1) % pool + 1])
          end
          local dt = os.clock() - t0
          if dt < best then best = dt end
        end

        local values = {}
        for i = 1, pool do values[i] = decode(docs[i]) end
        local encodeBest, encodeBytes = math.huge, 0
        for _ = 1, rounds do
          local n = 0
          local t0 = os.clock()
          for i = 1, count do n = n + #encode(values[(i - 1) % pool + 1]) end
          local dt = os.clock() - t0
          if dt < encodeBest then encodeBest = dt end
          encodeBytes = n
        end
        io.write(string.format(
          '{"decode_seconds":%.6f,"decode_bytes":%d,"encode_seconds":%.6f,"encode_bytes":%d,"docs":%d,"cjson":"%s"}\\n',
          best, bytes, encodeBest, encodeBytes, count, tostring(cjson._VERSION)))
        """

    static func run(documents: [[UInt8]], count: Int, rounds: Int) -> Outcome {
        guard let lua = findExecutable("lua5.4") else { return .unavailable("lua5.4 not found in PATH") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("json-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var lines = Data()
            for document in documents {
                lines.append(contentsOf: document)
                lines.append(0x0A)
            }
            let dataFile = directory.appendingPathComponent("pods.jsonl")
            let scriptFile = directory.appendingPathComponent("bench.lua")
            try lines.write(to: dataFile)
            try Data(script.utf8).write(to: scriptFile)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: lua)
            process.arguments = [scriptFile.path, dataFile.path, String(count), String(rounds)]
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let stdout = output.fileHandleForReading.readDataToEndOfFile()
            let stderr = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                return .unavailable(process.terminationStatus == 3
                    ? "lua-cjson not available: \(message)" : "lua5.4 failed: \(message)")
            }
            return .measured(try JSONDecoder().decode(Figures.self, from: stdout))
        } catch {
            return .unavailable("reference run failed: \(error)")
        }
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
