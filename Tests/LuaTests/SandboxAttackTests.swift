import Testing

@testable import Lua

/// Every attack class of `docs/sandbox.md`, each with its expected containment.
@Suite(.timeLimit(.minutes(1))) struct SandboxAttackTests {
    @Test func infiniteLoopIsKilledAndTheNextCallRuns() async throws {
        let script = try LuaScript(
            source: Array("calls = 0\nfunction run() calls = calls + 1 while true do end end\nfunction ok() return calls end".utf8),
            chunkName: "loop.lua", sandbox: testSandbox)
        let error = await #expect(throws: LuaError.self) { _ = try await script.call("run", []) }
        #expect(error?.kind == .instructionBudget)
        #expect(script.rebuilds == 1)
        // The rebuilt state starts from the source again: `calls` is back to 0.
        #expect(try await script.call("ok", [], resultCount: 1) == [0])
    }

    @Test func loopInsidePcallCannotCatchTheKill() async throws {
        let error = try await attackError("while true do pcall(function() while true do end end) end")
        #expect(error?.kind == .instructionBudget)
    }

    @Test func xpcallHandlerCannotCatchTheKillEither() async throws {
        let error = try await attackError(
            "while true do xpcall(function() while true do end end, function() while true do end end) end")
        #expect(error?.kind == .instructionBudget)
    }

    @Test func killedCoroutineCannotBeResumedPastTheKill() async throws {
        let error = try await attackError(
            "while true do coroutine.resume(coroutine.create(function() while true do end end)) end")
        #expect(error?.kind == .instructionBudget)
    }

    @Test func loopsOfShortCoroutinesAreStopped() async throws {
        let error = try await attackError(
            "while true do coroutine.wrap(function() for i = 1, 400 do end end)() end")
        #expect(error?.kind == .instructionBudget || error?.kind == .deadline)
    }

    @Test func theDeadlineStopsALoopWhenTheBudgetIsOff() async throws {
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: nil, timePerCall: .milliseconds(100), memory: 8 << 20))
        let error = try await attackError("while true do end", sandbox: sandbox)
        #expect(error?.kind == .deadline)
    }

    @Test func memoryBombHitsTheCap() async throws {
        let script = try LuaScript(
            source: Array("function run() local t = {} for i = 1, 1e9 do t[i] = i end end".utf8),
            chunkName: "bomb.lua", sandbox: LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: nil, memory: 8 << 20)))
        let error = await #expect(throws: LuaError.self) { _ = try await script.call("run", []) }
        #expect(error?.kind == .memory)
        #expect(script.rebuilds == 1)
        #expect(script.state.memoryUsed < 1 << 20)
    }

    @Test(arguments: [
        "local s = ('x'):rep(1e9)",
        "local s = 'x' while true do s = s .. s end",
        "local s = string.rep('ab', 2^29)",
        "local s = string.rep('ab', 2^20, ('x'):rep(1000))",
        "local t = {} for i = 1, 1e9 do t[#t + 1] = ('x'):rep(100) .. i end",
    ])
    func stringBombsFailAtTheCap(attack: String) async throws {
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: nil, memory: 8 << 20))
        let error = try await attackError(attack, sandbox: sandbox)
        #expect(error?.kind == .memory)
    }

    @Test func emptyRepetitionsReturnAtOnce() async throws {
        let results = try await runInSandbox("return string.rep('', math.maxinteger), ('x'):rep(0), string.rep('', 1e15, '')", results: 3)
        #expect(results == ["", "", ""])
    }

    @Test(arguments: [
        "return ('a'):rep(20000):find('.-.-.-.-b')",
        "return ('a'):rep(20000):match('(.-)(.-)(.-)b')",
        "return ('a'):rep(20000):gsub('.-.-.-b', 'x')",
        "for w in ('a'):rep(20000):gmatch('.-.-.-b') do end",
    ])
    func pathologicalPatternsCannotHang(attack: String) async throws {
        let error = try await attackError(attack)
        #expect(error?.kind == .instructionBudget)
    }

    @Test func bytecodeIsRefused() async throws {
        let results = try await runInSandbox("return load('\\27Lua\\x54\\0', 'x', 'b')", results: 2)
        #expect(results[0] == .nil)
        #expect(results[1].text?.contains("binary chunk") == true)
        let forced = try await runInSandbox("return select(2, load('\\27Lua\\x54\\0'))")
        #expect(forced[0].text?.contains("binary chunk") == true)
    }

    @Test(arguments: [
        "io", "os.execute", "os.exit", "os.remove", "package", "require", "dofile", "loadfile",
        "debug", "string.dump", "collectgarbage", "warn", "loadstring",
    ])
    func escapesAreNotReachable(name: String) async throws {
        #expect(try await runInSandbox("return \(name)") == [.nil])
    }

    @Test func escapesRaiseWhenUsed() async throws {
        let error = try await attackError("io.open('/etc/passwd')")
        #expect(error?.message == "attack.lua:2: attempt to index a nil value (global 'io')")
        let again = try await attackError("debug.sethook()")
        #expect(again?.kind == .runtime)
    }

    @Test func stringMetatableIsLocked() async throws {
        let error = try await attackError("getmetatable('').__index = function() return 'pwned' end")
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("attempt to index a boolean value") == true)
        // The attacker's own strings still work, and so do another script's.
        #expect(try await runInSandbox("return ('abc'):upper()") == ["ABC"])
    }

    @Test func finalizersAreRefused() async throws {
        let error = try await attackError("setmetatable({}, {__gc = function() while true do end end})")
        #expect(error?.message.contains("__gc are not allowed") == true)
    }

    @Test func aFinalizerAddedAfterwardsNeverRuns() async throws {
        // Lua marks objects for finalization only when __gc is present at setmetatable time, so
        // closing this state must not run (and hang on) the late __gc.
        var script: LuaScript? = try LuaScript(
            source: Array("local mt = {} x = setmetatable({}, mt) mt.__gc = function() while true do end end".utf8),
            chunkName: "late.lua", sandbox: testSandbox)
        #expect(script?.state.hasFunction("run") == false)
        script = nil
        #expect(script == nil)
    }

    @Test func hostileErrorObjectsAreReportedSafely() async throws {
        let error = try await attackError("error(setmetatable({}, {__tostring = function() error('x') end}))")
        #expect(error?.message == "(error object is a table value)")
        let looping = try await attackError("error(setmetatable({}, {__tostring = function() while true do end end}))")
        #expect(looping?.message == "(error object is a table value)")
    }

    @Test func runawayRecursionIsAnError() async throws {
        let error = try await attackError("local function f() return 1 + f() end return f()")
        #expect(error?.kind == .runtime || error?.kind == .memory)
        #expect(error?.message.contains("stack overflow") == true || error?.kind == .memory)
    }

    @Test func aScriptsOwnYieldIsNotAHelperRequest() async throws {
        let error = try await attackError("coroutine.yield('x')")
        #expect(error?.kind == .unexpectedYield)
    }

    @Test func helpersThatWaitAreRefusedInsideAComparator() async throws {
        let waiter = LuaModule(name: "http") { state in
            state.newTable()
            state.pushSuspendingFunction(named: "http.get") { _ in LuaSuspension { .values(["body"]) } }
            state.setField("get")
        }
        let script = try LuaScript(
            source: Array("function run() table.sort({3, 2, 1}, function(a, b) http.get('x') return a < b end) end".utf8),
            chunkName: "misuse.lua", sandbox: testSandbox, modules: [waiter])
        let error = await #expect(throws: LuaError.self) { _ = try await script.call("run", []) }
        #expect(error?.message.contains("http.get cannot be called here") == true)
    }
}
