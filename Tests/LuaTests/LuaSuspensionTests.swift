import CLua
import LuaGate
import Testing

@testable import Lua

@Suite(.timeLimit(.minutes(1))) struct LuaSuspensionTests {
    @Test func suspendingFunctionResumesTheCallerWithItsResult() async throws {
        let state = try openState()
        state.pushSuspendingFunction(named: "double_later") { arguments in
            let n = try arguments.integer(at: 1)
            return LuaSuspension {
                await Task.yield()
                return .values([.integer(n * 2), "done"])
            }
        }
        state.setGlobal("double_later")
        try state.load("return function(n) local a, b = double_later(n) return a + 1, b end", chunkName: "s.lua")
        try state.call(resultCount: 1)
        state.push(20)
        let results = try await state.resume(argumentCount: 1, resultCount: 2)
        #expect(results == [41, "done"])
        #expect(state.top == 0)
    }

    /// Owns a state the way the hook runtime will: one actor, calls interleaving at awaits.
    actor Host {
        let state: LuaState

        init(gate: Gate, source: String) throws {
            state = try openState()
            gate.register(in: state)
            try state.load(source, chunkName: "h.lua")
            try state.call()
        }

        func handle(_ label: String) async throws -> [LuaValue] {
            state.pushGlobal("handler")
            state.push(.string(label))
            return try await state.resume(argumentCount: 1, resultCount: 1)
        }
    }

    @Test func suspendedCallsInterleaveWithoutDisturbingEachOther() async throws {
        let gate = Gate()
        let host = try Host(gate: gate, source: "function handler(label) local got = wait(label) return label .. ':' .. got end")
        var arrivals = gate.arrived.makeAsyncIterator()
        // Call "a" waits; call "b" runs and finishes meanwhile; then "a" finishes.
        async let first = host.handle("a")
        #expect(await arrivals.next() == "a")
        async let second = host.handle("b")
        #expect(await arrivals.next() == "b")
        gate.release("b", with: .values(["second"]))
        #expect(try await second == ["b:second"])
        gate.release("a", with: .values(["first"]))
        #expect(try await first == ["a:first"])
    }

    /// `willWait` runs once per wait on a helper, before the call suspends, and never for a
    /// call that does not wait: how a caller running calls back to back tells them apart.
    @Test func willWaitRunsBeforeEachWaitAndOnlyThen() async throws {
        let state = try openState()
        let gate = Gate()
        gate.register(in: state)
        try state.load("function handler(n) for i = 1, n do wait('w' .. i) end return n end", chunkName: "w.lua")
        try state.call()
        var waits: [String] = []
        state.pushGlobal("handler")
        state.push(0)
        #expect(try await state.resume(argumentCount: 1, resultCount: 1, willWait: { waits.append("wait") }) == [0])
        #expect(waits.isEmpty)

        let releaser = Task {
            var arrivals = gate.arrived.makeAsyncIterator()
            for label in ["w1", "w2"] {
                #expect(await arrivals.next() == label)
                gate.release(label, with: .values([]))
            }
        }
        state.pushGlobal("handler")
        state.push(2)
        #expect(try await state.resume(argumentCount: 1, resultCount: 1, willWait: { waits.append("wait") }) == [2])
        await releaser.value
        #expect(waits == ["wait", "wait"])
    }

    @Test func suspensionErrorsAreRaisedInTheCaller() async throws {
        let state = try openState()
        state.pushSuspendingFunction(named: "fetch") { _ in LuaSuspension { .error("connection refused") } }
        state.setGlobal("fetch")
        try state.load("return function() return pcall(function() local r = fetch() return r end) end", chunkName: "e.lua")
        try state.call(resultCount: 1)
        let results = try await state.resume(argumentCount: 0, resultCount: 2)
        #expect(results == [false, "e.lua:1: connection refused"])
    }

    @Test(arguments: [
        ("return function() return coroutine.wrap(function() return later() end)() end", "coroutine"),
        ("return function() local t = {3, 1, 2} table.sort(t, function(a, b) later() return a < b end) end", "comparator"),
    ])
    func suspendingWhereOnlyTheHandlerMayWaitIsAClearError(source: String, place: String) async throws {
        let state = try openState()
        state.pushSuspendingFunction(named: "later") { _ in LuaSuspension { .values([1]) } }
        state.setGlobal("later")
        try state.load(source, chunkName: "\(place).lua")
        try state.call(resultCount: 1)
        let error = await #expect(throws: LuaError.self) { try await state.resume(argumentCount: 0) }
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("later cannot be called here") == true)
    }

    @Test func suspendingAtATopLevelCallIsAClearError() throws {
        let state = try openState()
        state.pushSuspendingFunction(named: "later") { _ in LuaSuspension { .values([1]) } }
        state.setGlobal("later")
        try state.load("later()", chunkName: "top.lua")
        let error = #expect(throws: LuaError.self) { try state.call() }
        #expect(error?.message.hasPrefix("top.lua:1: later cannot be called here") == true)
    }

    @Test func aScriptsOwnYieldIsNeverTakenForAHelper() async throws {
        let state = try openState()
        try state.load("return function() coroutine.yield('x') return 'after' end", chunkName: "y.lua")
        try state.call(resultCount: 1)
        let error = await #expect(throws: LuaError.self) { try await state.resume(argumentCount: 0) }
        #expect(error?.kind == .unexpectedYield)
    }

    @Test func theDeadlineCoversTimeSpentWaiting() async throws {
        let state = try openState()
        let gate = Gate()
        gate.register(in: state)
        try state.load("return function() wait('never') return 'unreachable' end", chunkName: "slow.lua")
        try state.call(resultCount: 1)
        let error = await #expect(throws: LuaError.self) {
            try await state.resume(argumentCount: 0, limits: LuaCallLimits(timeLimit: .milliseconds(50)))
        }
        #expect(error?.kind == .deadline)
        gate.release("never", with: .values([]))
    }
}
