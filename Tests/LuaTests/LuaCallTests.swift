import CLua
import Testing

@testable import Lua

/// A state with the standard libraries, for bridge tests that are not about the sandbox.
func openState(memoryLimit: Int? = nil) throws -> LuaState {
    let state = try LuaState(memoryLimit: memoryLimit)
    kl_push_library_opener(state.pointer)
    try state.call()
    return state
}

@Suite struct LuaCallTests {
    @Test func runtimeErrorsCarryChunkLineAndTraceback() throws {
        let state = try openState()
        try state.load("local function inner(x)\n  return x.field\nend\nlocal r = inner(nil)\nreturn r\n", chunkName: "hooks/demo.lua")
        let error = #expect(throws: LuaError.self) { try state.call() }
        #expect(error?.kind == .runtime)
        #expect(error?.message == "hooks/demo.lua:2: attempt to index a nil value (local 'x')")
        #expect(error?.location?.chunk == "hooks/demo.lua")
        #expect(error?.location?.line == 2)
        #expect(error?.traceback?.hasPrefix("stack traceback:") == true)
        #expect(error?.traceback?.contains("hooks/demo.lua:4") == true)
        #expect(state.top == 0)
    }

    @Test func syntaxErrorsNameTheLine() throws {
        let state = try openState()
        let error = #expect(throws: LuaError.self) {
            try state.load("local a = 1\nlocal b = = 2\n", chunkName: "broken.lua")
        }
        #expect(error?.kind == .syntax)
        #expect(error?.location?.chunk == "broken.lua")
        #expect(error?.location?.line == 2)
    }

    @Test func binaryChunksAreRefused() throws {
        let state = try openState()
        let error = #expect(throws: LuaError.self) {
            try state.load([0x1B, 0x4C, 0x75, 0x61, 0x54, 0x00], chunkName: "bytecode")
        }
        #expect(error?.message.contains("binary chunk") == true)
    }

    @Test func errorObjectsThatAreNotStringsAreDescribedByType() throws {
        let state = try openState()
        try state.load(
            "error(setmetatable({}, {__tostring = function() error('x') end}))", chunkName: "hostile.lua")
        let error = #expect(throws: LuaError.self) { try state.call() }
        #expect(error?.message == "(error object is a table value)")
    }

    @Test func swiftFunctionsReceiveArgumentsAndReturnResults() throws {
        let state = try openState()
        state.pushFunction(named: "add") { arguments in
            arguments.push(.integer(try arguments.integer(at: 1) + arguments.integer(at: 2)))
            arguments.push("sum")
            return 2
        }
        state.setGlobal("add")
        try state.load("local n, label = add(40, 2) return label .. '=' .. n", chunkName: "add.lua")
        try state.call(resultCount: 1)
        #expect(try state.value(at: -1) == "sum=42")
    }

    @Test func swiftErrorsBecomeLuaErrorsAtTheCallingLine() throws {
        let state = try openState()
        state.pushFunction(named: "fail") { _ in throw LuaRaisedError("boom") }
        state.setGlobal("fail")
        state.pushFunction(named: "want") { arguments in
            _ = try arguments.string(at: 1)
            return 0
        }
        state.setGlobal("want")
        try state.load("local ok, e = pcall(function() fail() end)\nassert(not ok)\nreturn e, select(2, pcall(function() want({}) end))", chunkName: "f.lua")
        try state.call(resultCount: 2)
        #expect(try state.value(at: 1) == "f.lua:1: boom")
        #expect(try state.value(at: 2) == "f.lua:3: bad argument #1 to 'want' (string expected, got table)")

        try state.load("\n\nfail()", chunkName: "g.lua")
        let error = #expect(throws: LuaError.self) { try state.call() }
        #expect(error?.message == "g.lua:3: boom")
        #expect(error?.location?.line == 3)
    }

    @Test func globalsPersistBetweenCalls() throws {
        let state = try openState()
        try state.load("count = (count or 0) + 1 return count", chunkName: "counter")
        try state.call(resultCount: 1)
        try state.load("count = (count or 0) + 1 return count", chunkName: "counter")
        try state.call(resultCount: 1)
        #expect(try state.value(at: 1) == 1)
        #expect(try state.value(at: 2) == 2)
    }
}
