import BenchSupport
import Foundation

/// The reference: `lua5.4` + lua-cjson decoding each event line, keeping the same kind of
/// cache the informer keeps (old = the pod's previous state) and calling the same handler.
/// As in json-bench, the lines are read first and only the loop is timed, with os.clock.
/// The file holds the first min(pods, events) lines as streamed; the loop goes round them
/// until it has handled as many events as the pipeline did.
enum EventReference {
    struct Figures: Decodable {
        let seconds: Double
        let events: Int
        let bytes: Int
        let seen: Int
        let cjson: String
    }

    typealias Outcome = LuaReferenceOutcome<Figures>

    static func script() -> String {
        """
        local ok, cjson = pcall(require, "cjson")
        if not ok then io.stderr:write(tostring(cjson):match("[^\\n]*"), "\\n") os.exit(3) end
        local path, count = arg[1], tonumber(arg[2])
        local lines = {}
        for line in io.lines(path) do lines[#lines + 1] = line end
        local pool, decode = #lines, cjson.decode
        \(HookScript.handler)
        local cache, bytes = {}, 0
        local t0 = os.clock()
        for i = 1, count do
          local line = lines[(i - 1) % pool + 1]
          bytes = bytes + #line
          local event = decode(line)
          local new = event.object
          local meta = new.metadata
          local key = meta.namespace .. "/" .. meta.name
          local old = cache[key]
          cache[key] = new
          on_update(old, new)
        end
        local dt = os.clock() - t0
        io.write(string.format('{"seconds":%.6f,"events":%d,"bytes":%d,"seen":%d,"cjson":"%s"}\\n',
          dt, count, bytes, seen, tostring(cjson._VERSION)))
        """
    }

    static func run(lines: URL?, events: Int) -> Outcome {
        guard let lines else { return .unavailable("no event lines were written") }
        defer { try? FileManager.default.removeItem(at: lines) }
        return LuaReferenceRun.run(script: script(), arguments: [lines.path, String(events)])
    }
}
