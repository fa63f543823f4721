import BenchSupport
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

    typealias Outcome = LuaReferenceOutcome<Figures>

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
        let dataFile = FileManager.default.temporaryDirectory.appendingPathComponent("json-bench-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: dataFile) }
        var lines = Data()
        for document in documents {
            lines.append(contentsOf: document)
            lines.append(0x0A)
        }
        do {
            try lines.write(to: dataFile)
        } catch {
            return .unavailable("reference run failed: \(error)")
        }
        return LuaReferenceRun.run(script: script, arguments: [dataFile.path, String(count), String(rounds)])
    }
}
