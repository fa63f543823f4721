import CLua
import ContainerIndexOracle
import JSONBytes
import Testing

@testable import Lua

/// Stand-ins (`LuaState.pushLazyJSON`) must be indistinguishable from fully decoded tables to a
/// sandboxed script: each probe runs once on a lazily pushed document and once on an eagerly
/// decoded one (`LuaJSON.push`), and must give the same answer.
@Suite(.timeLimit(.minutes(1))) struct LazyJSONTests {
    static let document = #"""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web-1","namespace":"default","labels":{"app":"web","tier":"front","esc\"aped":"é\u00e9"},
                     "ownerReferences":[{"kind":"ReplicaSet","name":"web"}]},
         "spec":{"containers":[{"name":"app","ports":[{"containerPort":80},{"containerPort":443}]},{"name":"side"}]},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]},
         "list":["b","a","c"], "numbers":[3,1,2], "empty":{}, "emptyList":[], "null":null,
         "int":7, "float":1.5, "exp":-2e3, "yes":true, "no":false, "matrix":[[1,2],[3,[4,{"x":[]}]],[]]}
        """#

    static let canon = """
        function canon(v)
          local t = type(v)
          if t == 'table' then
            local keys = {}
            for k in pairs(v) do keys[#keys + 1] = k end
            table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
            local parts = {}
            for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. '=' .. canon(v[k]) end
            return '{' .. tostring(getmetatable(v)) .. ':' .. table.concat(parts, ',') .. '}'
          elseif t == 'number' then return math.type(v) .. ':' .. tostring(v)
          elseif v == json.null then return 'null'
          else return t .. ':' .. tostring(v) end
        end
        """

    static let probes = [
        "return canon(doc)",
        "return doc.metadata.name .. doc.status.phase .. doc.spec.containers[1].ports[2].containerPort",
        "local n = 0 for k in pairs(doc.metadata.labels) do n = n + 1 end return n",
        "return #doc.spec.containers .. ',' .. #doc.metadata .. ',' .. #doc.matrix[2][2]",
        "return tostring(next(doc.empty) == nil) .. tostring(next(doc.metadata) ~= nil)",
        "return tostring(rawget(doc.metadata, 'name')) .. rawlen(doc.list) .. tostring(rawget(doc, 'nope'))",
        "return tostring(getmetatable(doc.list)) .. tostring(getmetatable(doc.metadata)) .. tostring(getmetatable(doc.emptyList))",
        "doc.metadata.name = nil doc.metadata.extra = 1 return canon(doc.metadata)",
        "local t = setmetatable(doc.metadata, {__index = function() return 'fallback' end}) return t.nothing .. t.name",
        "return tostring(pcall(setmetatable, doc.list, {}))",
        "return table.concat(doc.list, ',')",
        "table.sort(doc.numbers) return table.concat(doc.numbers, ',')",
        "table.insert(doc.list, 'z') return #doc.list .. doc.list[#doc.list]",
        "table.remove(doc.list, 1) return canon(doc.list)",
        "return canon(json.decode(json.encode(doc)))",
        "local s = 0 for i, v in ipairs(doc.numbers) do s = s + v * i end return s",
        "return select('#', table.unpack(doc.list))",
        "return math.type(doc.int) .. math.type(doc.float) .. math.type(doc.exp)",
        "return tostring(doc.null == json.null) .. tostring(doc.yes) .. tostring(doc.no)",
        "local k = {} for key in next, doc.metadata.labels do k[#k + 1] = key end table.sort(k) return table.concat(k, ',')",
        "local x = doc.metadata doc.metadata = 5 return type(x) .. tostring(doc.metadata) .. x.name",
        "return type(doc) .. type(doc.metadata.labels) .. type(doc.list)",
        "rawset(doc.metadata, 'name', 'changed') return canon(doc.metadata)",
        "return tostring(doc.missing) .. tostring(doc.metadata.missing)",
        "return canon(doc.matrix) .. #doc.matrix[2]",
        "local c = 0 for _ in pairs(doc) do c = c + 1 end return c",
        "local t = doc.metadata.labels for k in pairs(t) do t[k] = nil end return tostring(next(t))",
        "doc.list[2] = nil return canon(doc.list) .. json.encode(doc.list)",
        "return canon(load('return metadata.name .. kind', 'probe', 't', doc)())",
        "local a, b = doc.status, doc.status return tostring(rawequal(a, b)) .. tostring(a == doc.spec)",
        "return json.encode(doc.spec.containers[1].ports) .. json.encode(doc.emptyList) .. json.encode(doc.matrix)",
        // Iterators taken from plain tables, then used on stand-ins.
        "local step = pairs({}) local k = step(doc.metadata) return tostring(k ~= nil) .. tostring(step(doc.empty))",
        "local step = pairs(setmetatable({}, {})) return tostring(select(2, step(doc.list, 1)))",
        "local step = ipairs({}) return tostring(select(2, step(doc.list, 0)))",
        "local step = pairs(doc.empty) local k = step(doc.metadata.labels) return tostring(k ~= nil)",
    ]

    enum Push { case eager, lazy, indexed, partlyIndexed }

    /// Runs `body` as `run(doc)` with the document pushed eagerly, lazily, or lazily with its
    /// container index.
    static func run(_ body: String, _ push: Push, json: String = document) async throws -> LuaValue? {
        let script = try LuaScript(
            source: Array("\(canon)\nfunction run(doc)\n\(body)\nend".utf8), chunkName: "probe.lua", sandbox: testSandbox)
        let bytes = Array(json.utf8)
        return try await script.call("run", resultCount: 1) { (state) throws(LuaError) -> Int32 in
            try Self.push(bytes, onto: state, push)
            return 1
        }?.first
    }

    static func push(_ bytes: [UInt8], onto state: LuaState, _ push: Push) throws(LuaError) {
        do throws(LuaJSONError) {
            switch push {
            case .eager: try LuaJSON.push(bytes, onto: state.pointer)
            case .lazy: try state.pushLazyJSON(bytes)
            case .indexed: try state.pushLazyJSON(bytes, index: PlainContainerIndex.of(bytes))
            // As the framer indexes: short containers left out, read by scanning.
            case .partlyIndexed: try state.pushLazyJSON(bytes, index: PlainContainerIndex.of(bytes, shortestIndexed: 40))
            }
        } catch {
            throw LuaError(kind: .runtime, message: error.message)
        }
    }

    @Test(arguments: probes)
    func aStandInAnswersEveryProbeAsADecodedTableDoes(probe: String) async throws {
        let eager = try await Self.run(probe, .eager)
        #expect(eager != nil && eager != .nil)
        #expect(try await Self.run(probe, .lazy) == eager)
        #expect(try await Self.run(probe, .indexed) == eager)
        #expect(try await Self.run(probe, .partlyIndexed) == eager)
    }

    @Test func aStandInReturnedToTheHostArrivesWhole() async throws {
        let eager = try await Self.run("return doc.metadata", .eager)
        let lazy = try await Self.run("return doc.metadata", .lazy)
        guard case .table(let fields) = lazy else { Issue.record("not a table: \(String(describing: lazy))"); return }
        #expect(fields["name"] == "web-1")
        #expect(lazy == eager)
    }

    @Test func malformedJSONIsReportedWhenItsPartIsReadAndTheRestStillReads() async throws {
        let json = #"{"metadata":{"name":"ok"},"spec":{"containers":[{"name" "x"}]}}"#
        #expect(try await Self.run("return doc.metadata.name", .lazy, json: json) == "ok")
        let error = await #expect(throws: LuaError.self) {
            _ = try await Self.run("return doc.spec.containers[1].name", .lazy, json: json)
        }
        #expect(error?.message.contains("malformed JSON") == true)
        #expect(error?.message.contains("probe.lua:") == true)
        let again = try await Self.run(
            "local c = doc.spec.containers local ok = pcall(function() return c[1].name end) "
                + "local ok2 = pcall(function() return c[1].name end) return tostring(ok) .. tostring(ok2)",
            .lazy, json: json)
        #expect(again == "falsefalse")
    }

    @Test func theIteratorPairsHandsOutRefusesNonTables() async throws {
        let result = try await Self.run("local f = pairs(doc) return tostring((pcall(f, 5)))", .lazy)
        #expect(result == "false")
    }

    @Test func theLazyMarkNeverReachesAScript() async throws {
        let result = try await Self.run(
            "local seen = {} for _, t in ipairs({doc, doc.metadata, doc.list, doc.spec.containers[1]}) do "
                + "seen[#seen + 1] = tostring(getmetatable(t)) end return table.concat(seen, ',')",
            .lazy)
        #expect(result == "nil,nil,json.array,nil")
    }

    @Test func aStandInKeptInAGlobalOutlivesItsCallAndCollections() async throws {
        let script = try LuaScript(
            source: Array("""
                function keep(doc) kept = doc.spec end
                function churn() for i = 1, 20000 do local t = {i, tostring(i)} end end
                function read() return kept.containers[2].name end
                """.utf8),
            chunkName: "keep.lua", sandbox: testSandbox)
        let bytes = Array(Self.document.utf8)
        _ = try await script.call("keep", resultCount: 0) { (state) throws(LuaError) -> Int32 in
            try Self.push(bytes, onto: state, .lazy)
            return 1
        }
        _ = try await script.call("churn", [])
        #expect(try await script.call("read", [], resultCount: 1) == ["side"])
    }

    /// A document holds bytes Lua cannot see; they are counted as Lua allocations, so garbage
    /// documents are collected (and the host's bytes released) as if Lua had held the bytes.
    @Test func garbageDocumentsAreCollectedAsTheirBytesAdd() throws {
        let state = try LuaState()
        // A live heap of a few MB, as a script with state has: Lua waits for the heap to grow
        // by about as much again before it collects.
        try state.load("keep = {} for i = 1, 50000 do keep[i] = {i} end", chunkName: "heap")
        try state.call()
        let json = Array(("[\"" + String(repeating: "x", count: 64 << 10) + "\"]").utf8)
        var released: [() -> Bool] = []
        let text = JSONText(json)
        for _ in 0..<200 {
            let document = LuaLazyDocument(json: text, view: nil)
            released.append { [weak document] in document == nil }
            document.push(onto: state.pointer)
            lua_settop(state.pointer, 0)
        }
        // 200 × 64 KiB pushed and dropped, a few KB of it visible to Lua as userdata: only the
        // accounting makes the collector run, and the early documents are gone.
        #expect(released.prefix(100).allSatisfy { $0() })
    }

    @Test func readingTwoFieldsOfABigDocumentDecodesLittleOfIt() async throws {
        let filler = (1...400).map { #"{"name":"c\#($0)","image":"registry/image:\#($0)","args":["a","b","c"]}"# }
        let json = #"{"metadata":{"name":"big"},"spec":{"containers":["# + filler.joined(separator: ",") + #"]},"status":{"phase":"Running"}}"#
        func used(_ push: Push) async throws -> Int {
            let script = try LuaScript(
                source: Array("function run(doc) return doc.metadata.name .. doc.status.phase end".utf8),
                chunkName: "probe.lua", sandbox: testSandbox)
            let before = script.state.memoryUsed
            var during = 0
            let bytes = Array(json.utf8)
            let result = try await script.call("run", resultCount: 1) { (state) throws(LuaError) -> Int32 in
                try Self.push(bytes, onto: state, push)
                during = state.memoryUsed
                return 1
            }
            #expect(result == ["bigRunning"])
            return during - before
        }
        let eager = try await used(.eager)
        let lazy = try await used(.lazy)
        // The lazy push references the host's text instead of copying it, and decodes three
        // small levels; the decoded tree is several times the text.
        #expect(lazy < 8192)
        #expect(eager > json.utf8.count)
    }
}
