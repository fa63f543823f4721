import LuaGate
import Testing

@testable import Lua

/// The sandbox's own integrity: what a script can reach must not undo what the host set up.
@Suite(.timeLimit(.minutes(1))) struct SandboxIntegrityTests {
    /// A sandboxed state owned the way the hook runtime owns it: one actor, calls interleaving
    /// while one waits on a helper (`wait`, released by the test).
    actor Host {
        let state: LuaState
        /// The waiting call's deadline counts its wait: long, so a busy machine does not end
        /// the call before the test releases it (this suite is about integrity, not time).
        static let sandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: 2_000_000, timePerCall: .seconds(120), memory: 8 << 20))

        init(gate: Gate, source: String) throws {
            state = try Self.sandbox.makeState()
            gate.register(in: state)
            try state.load(source, chunkName: "h.lua")
            try state.call()
        }

        func call(_ name: String) async throws -> [LuaValue] {
            state.pushGlobal(name)
            return try await state.resume(argumentCount: 0, resultCount: 2, limits: Self.sandbox.limits.call)
        }
    }

    static let source = """
        function waiter() parked = coroutine.running() return 'host gave ' .. wait('a') end
        function intruder() return coroutine.resume(parked, 'forged') end
        function closer() return coroutine.close(parked) end
        function own() return coroutine.resume(coroutine.running()) end
        function fine() return 'still fine' end
        """

    @Test(arguments: ["intruder", "closer"])
    func aCallCannotResumeOrCloseAnotherCallWaitingOnAHelper(intrusion: String) async throws {
        let gate = Gate()
        let host = try Host(gate: gate, source: Self.source)
        var arrivals = gate.arrived.makeAsyncIterator()
        async let first = host.call("waiter")
        #expect(await arrivals.next() == "a")
        let error = await #expect(throws: LuaError.self) { _ = try await host.call(intrusion) }
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("a coroutine run by kubelua (a handler call, maybe waiting on a helper)") == true)
        gate.release("a", with: .values(["real"]))
        #expect(try await first == ["host gave real"])
    }

    @Test func aHandlerCannotResumeItsOwnCoroutine() async throws {
        let gate = Gate()
        let host = try Host(gate: gate, source: Self.source)
        let error = await #expect(throws: LuaError.self) { _ = try await host.call("own") }
        #expect(error?.message.contains("cannot resume a coroutine run by kubelua") == true)
        #expect(try await host.call("fine") == ["still fine"])
    }

    @Test func scriptCoroutinesStillWork() async throws {
        let results = try await runInSandbox(
            "local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) "
                + "local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) "
                + "local dead = coroutine.create(function() coroutine.yield() end) coroutine.resume(dead) "
                + "return x, y, coroutine.close(dead)", results: 3)
        #expect(results == [2, 20, true])
    }

    @Test func sharedSubTablesAreCopiedOutOnceAndCyclesEnd() async throws {
        let results = try await runInSandbox(
            "local t = {} for i = 1, 64 do t = {t, t} end local c = {} c[1] = c c[2] = c "
                + "return probe.copy(t), probe.copy(c)", results: 2, modules: [copyProbe])
        #expect(results == [2, 2])
    }

    @Test func aTableReadMoreThanOnceIsTheSameCopy() throws {
        let state = try testSandbox.makeState()
        try state.load("local shared = {x = 1} local c = {} c.me = c return {a = shared, b = shared, c = c}", chunkName: "s.lua")
        try state.call(resultCount: 1)
        let value = try state.value(at: -1)
        #expect(value["a"] == value["b"])
        #expect(value["a"]["x"] == 1)
        #expect(value["c"]["me"] == .opaque("table"))
    }

    @Test(arguments: ["insert", "remove"])
    func aLengthIsReadOnceSoItCannotChangeMidCall(function: String) async throws {
        // The first answer is small (passing the check), any later one huge: Lua's own functions
        // read it again and would loop in C over 2^63 slots.
        let call = function == "insert" ? "table.insert(t, 1, 'x')" : "table.remove(t, 1)"
        let results = try await runInSandbox(
            "local n = 0 local t = setmetatable({'a'}, {__len = function() n = n + 1 return n == 1 and 1 or math.maxinteger end}) "
                + "\(call) return n, rawget(t, 1)", results: 2)
        #expect(results[0] == 1)
        #expect(results[1] == (function == "insert" ? "x" : .nil))
    }

    @Test(arguments: [
        "local t = {5, 3, 9, 1} table.sort(t) return table.concat(t, ',')",
        "local t = {5, 3, 9, 1} table.sort(t, function(a, b) return a > b end) return table.concat(t, ',')",
        "local t = setmetatable({}, {__index = function(_, i) return ({4, 2, 3})[i] end, __len = function() return 3 end}) "
            + "table.sort(t) return table.concat({rawget(t, 1), rawget(t, 2), rawget(t, 3)}, ',')",
        "local t = {} for i = 1, 10000 do t[i] = i end table.move(t, 1, 9999, 2) return t[1] .. ',' .. t[2] .. ',' .. t[10000]",
        "local t = {} for i = 1, 10000 do t[i] = i end table.move(t, 2, 10000, 1) return t[1] .. ',' .. t[9999] .. ',' .. t[10000]",
        "local t = {} for i = 1, 10000 do t[i] = i end local c = table.concat(t, ',') return #c .. c:sub(-10)",
        "local t = {} for i = 1, 2000 do table.insert(t, 1, i) end for i = 1, 500 do table.remove(t, 1) end return #t .. ',' .. t[1]",
        "local t = {} for i = 1, 10000 do t[i] = i end table.insert(t, 2, 'x') table.remove(t, 1) "
            + "return #t .. ',' .. t[1] .. ',' .. t[2] .. ',' .. t[10000] .. ',' .. table.remove(t)",
        "return select(2, pcall(coroutine.resume, nil))",
        "return select(2, pcall(table.insert, {}, 5, 'x'))",
        "return select(2, pcall(table.remove, {1, 2}, 7))",
        "return select(2, pcall(table.move, {}, 1, 10000, math.maxinteger))",
    ])
    func wrappedTableFunctionsBehaveAsLuasOwn(probe: String) async throws {
        let plain = try openState()
        try plain.load("return (function()\n\(probe)\nend)()", chunkName: "plain.lua")
        try plain.call(resultCount: 1)
        // Lua names a library function by its global path; the sandbox's wrappers by their name.
        let reference = try plain.value(at: -1).text.map {
            LuaValue.string($0.replacingOccurrences(of: "'table.", with: "'").replacingOccurrences(of: "'coroutine.", with: "'"))
        } ?? plain.value(at: -1)
        #expect(reference != .nil)
        #expect(try await runInSandbox(probe) == [reference])
    }
}

extension SandboxIntegrityTests {
    @Test(arguments: [
        ("table.sort({1, 'x'})", "attack.lua:2: attempt to compare string with number"),
        ("table.concat({{}})", "attack.lua:2: invalid value (table) at index 1 in table for 'concat'"),
        ("table.insert(nil, 1)", "attack.lua:2: bad argument #1 to 'insert' (table expected, got nil)"),
        ("table.move({}, 1, 5000, 1, 7)", "attack.lua:2: bad argument #5 to 'move' (table expected, got number)"),
        ("load(nil)", "attack.lua:2: bad argument #1 to 'load' (function expected, got nil)"),
        ("table.sort({3, 2, 1}, function(a, b) error('mine') end)", "attack.lua:2: mine"),
    ])
    func wrappedLibraryFunctionsReportErrorsAtTheScriptsLine(call: String, message: String) async throws {
        let error = try await attackError(call)
        #expect(error?.message == message)
    }
}
