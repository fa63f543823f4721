import BenchSupport
import Foundation

/// The reference: `lua5.4` + lua-cjson decoding each event line and calling the same handler,
/// in two variants, timed one after the other in one run:
/// - literal (the words): decode the line, call `on_update(nil, new)`; no cache, so
///   `old` is always nil;
/// - cached: also keep every pod's last state in a Lua table, as the informer does, and pass
///   it as `old`.
/// As in json-bench, the lines are read first and only the loops are timed, with os.clock (CPU
/// time; the loop is single-threaded). The file holds min(pods, events) lines exactly as
/// streamed; each loop goes round them until it has handled as many events as the pipeline.
enum EventReference {
    struct Figures: Decodable {
        let literalSeconds: Double
        let cachedSeconds: Double
        let events: Int
        let bytes: Int
        let seen: Int
        let cjson: String

        var literalRate: Double { Double(events) / literalSeconds }
        var cachedRate: Double { Double(events) / cachedSeconds }
        /// The faster variant's rate: the stricter one to compare against.
        var fasterRate: Double { max(literalRate, cachedRate) }
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
        local bytes = 0
        for i = 1, count do bytes = bytes + #lines[(i - 1) % pool + 1] end

        collectgarbage()
        local t0 = os.clock()
        for i = 1, count do
          on_update(nil, decode(lines[(i - 1) % pool + 1]).object)
        end
        local literal = os.clock() - t0

        collectgarbage()
        local cache = {}
        t0 = os.clock()
        for i = 1, count do
          local new = decode(lines[(i - 1) % pool + 1]).object
          local meta = new.metadata
          local key = meta.namespace .. "/" .. meta.name
          local old = cache[key]
          cache[key] = new
          on_update(old, new)
        end
        local cached = os.clock() - t0

        io.write(string.format('{"literalSeconds":%.6f,"cachedSeconds":%.6f,"events":%d,"bytes":%d,"seen":%d,"cjson":"%s"}\\n',
          literal, cached, count, bytes, seen, tostring(cjson._VERSION)))
        """
    }

    static func run(lines: URL, events: Int) -> Outcome {
        defer { try? FileManager.default.removeItem(at: lines) }
        return LuaReferenceRun.run(script: script(), arguments: [lines.path, String(events)])
    }
}
