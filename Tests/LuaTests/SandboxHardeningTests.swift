import Testing

@testable import Lua

/// Attacks and misuses beyond the design note's table.
@Suite(.timeLimit(.minutes(1))) struct SandboxHardeningTests {
    @Test func tableMoveOverAHugeRangeIsRefused() async throws {
        let error = try await attackError("table.move({}, 1, math.maxinteger, 2)")
        #expect(error?.message == "attack.lua:2: bad argument #3 to 'move' (range too large)")
    }

    @Test(arguments: ["insert", "remove"])
    func aLyingLengthCannotMakeTableFunctionsLoopInC(function: String) async throws {
        let call = function == "insert" ? "table.insert(t, 1, 'x')" : "table.remove(t, 1)"
        let error = try await attackError("local t = setmetatable({}, {__len = function() return math.maxinteger end}) \(call)")
        #expect(error?.message == "attack.lua:2: bad argument #1 to '\(function)' (length too large)")
    }

    @Test(arguments: ["string.find = nil", "rawset(string, 'find', print)", "setmetatable(table, {})", "os.execute = print"])
    func librariesAreReadOnly(attack: String) async throws {
        let error = try await attackError(attack)
        #expect(error?.kind == .runtime)
        #expect(try await runInSandbox("return type(string.find), type(table.insert)", results: 2) == ["function", "function"])
    }

    @Test func readOnlyLibrariesCanStillBeIterated() async throws {
        let results = try await runInSandbox("local n = 0 for k, v in pairs(math) do n = n + 1 end return n > 10, #string.rep('a', 3)", results: 2)
        #expect(results == [true, 3])
    }

    @Test(arguments: ["next", "rawget", "rawlen", "rawset", "setmetatable"])
    func wrappedRawFunctionsReportBadArgumentsAtTheCallersLine(function: String) async throws {
        let error = try await attackError("local x = \(function)(5, 1, 2)")
        #expect(error?.message == "attack.lua:2: bad argument #1 to '\(function)' (table expected, got number)")
    }

    @Test func loadCannotBringBackRemovedGlobals() async throws {
        let results = try await runInSandbox("return load('return io')(), load('return x', 'c', 't', {x = 7})()", results: 2)
        #expect(results == [.nil, 7])
    }

    @Test func metamethodRecursionIsAnErrorNotACrash() async throws {
        let error = try await attackError("local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x")
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("stack overflow") == true)
    }

    @Test func hugeFormatWidthsAreRefused() async throws {
        let error = try await attackError("return string.format('%099999d', 1)")
        #expect(error?.message.contains("invalid conversion") == true)
    }

    @Test func aCaughtMemoryErrorStillRebuildsTheState() async throws {
        let script = try LuaScript(
            source: Array("function run() pcall(function() local s = ('x'):rep(1 << 30) end) return 'caught' end".utf8),
            chunkName: "caught.lua", sandbox: testSandbox)
        let error = await #expect(throws: LuaError.self) { _ = try await script.call("run", []) }
        #expect(error?.kind == .memory)
        #expect(script.rebuilds == 1)
        #expect(script.state.memoryExceeded == false)
    }

    @Test func oneScriptsKillDoesNotTouchAnother() async throws {
        let victim = try LuaScript(source: Array("n = 0 function run() n = n + 1 return n end".utf8), chunkName: "v.lua", sandbox: testSandbox)
        _ = try await victim.call("run", [])
        _ = try await attackError("local t = {} while true do t[#t + 1] = {} end")
        #expect(try await victim.call("run", [], resultCount: 1) == [2])
        #expect(victim.rebuilds == 0)
    }

    @Test func gsubReplacementFunctionsRunUnderTheBudget() async throws {
        let error = try await attackError("return ('abc'):gsub('%w', function() while true do end end)")
        #expect(error?.kind == .instructionBudget)
    }

    @Test func tostringLoopsInPrintAreKilled() async throws {
        let error = try await attackError("print(setmetatable({}, {__tostring = function() while true do end end}))")
        #expect(error?.kind == .instructionBudget)
    }

    @Test func killsInsideNestedCoroutinesPropagate() async throws {
        let error = try await attackError(
            "coroutine.wrap(function() coroutine.wrap(function() while true do end end)() end)()")
        #expect(error?.kind == .instructionBudget)
    }

    @Test func wrapperErrorsPointAtTheScriptsLine() async throws {
        let error = try await attackError("local x = 1\nsetmetatable({}, {__gc = true})")
        #expect(error?.location?.chunk == "attack.lua")
        #expect(error?.location?.line == 3)
    }

    @Test func printGoesToTheHost() async throws {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let script = try LuaScript(
            source: Array("function run() print('pod', 42, nil, true) end".utf8), chunkName: "p.lua", sandbox: testSandbox,
            print: { line, _ in lines.all.append(line) })
        _ = try await script.call("run", [])
        #expect(lines.all == ["pod\t42\tnil\ttrue"])
    }

    @Test func safeOsFunctionsRemain() async throws {
        let results = try await runInSandbox("return math.type(os.time()), type(os.clock()), os.date('!%Y', 0), os.difftime(2, 1)", results: 4)
        #expect(results == ["integer", "number", "1970", 1.0])
    }

    @Test func jsonHelpersWorkInsideTheSandbox() async throws {
        let results = try await runInSandbox(
            """
            local pod = json.decode('{"metadata":{"name":"busybox"},"spec":{"containers":[{"ports":[{"containerPort":8080}]}]},"x":null,"e":[]}')
            return pod.metadata.name, math.type(pod.spec.containers[1].ports[1].containerPort), pod.x == json.null,
                json.encode(pod.e), json.encode(json.array()), json.encode({a = 1})
            """, results: 6)
        #expect(results == ["busybox", "integer", true, "[]", "[]", "{\"a\":1}"])
    }

    @Test func jsonErrorsAreCatchable() async throws {
        let results = try await runInSandbox("return pcall(json.decode, '{\"a\": }')", results: 2)
        #expect(results[0] == false)
        #expect(results[1].text?.contains("json.decode: unexpected character '}' at line 1, column 7") == true)
    }

    @Test func hugeJsonDecodeHitsTheMemoryCap() async throws {
        let error = try await attackError("return json.decode('[' .. ('1,'):rep(3000000) .. '1]')")
        #expect(error?.kind == .memory)
    }
}

extension SandboxHardeningTests {
    @Test func getenvSeesOnlyPassedVariables() async throws {
        let sandbox = LuaSandbox(limits: testSandbox.limits, environment: ["WEBHOOK": "https://hooks.example/x"])
        let results = try await runInSandbox("return os.getenv('WEBHOOK'), os.getenv('HOME'), os.getenv('PATH')", results: 3, sandbox: sandbox)
        #expect(results == ["https://hooks.example/x", .nil, .nil])
    }
}
