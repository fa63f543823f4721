import CLua
import Testing

@testable import Lua

@Suite struct LuaValueTests {
    @Test(arguments: [
        LuaValue.nil, true, false, 0, 42, -7, .integer(.max), .integer(.min), 0.5, -1e300, .number(.infinity),
        "", "hello", .string([0, 1, 0, 255, 10]), "ünïcødé",
    ])
    func scalarsRoundTrip(value: LuaValue) throws {
        let state = try LuaState()
        state.push(value)
        #expect(try state.value(at: -1) == value)
        #expect(state.top == 1)
    }

    @Test func integersAndFloatsStayDistinct() throws {
        let state = try LuaState()
        kl_push_library_opener(state.pointer)
        try state.call()
        try state.load("local a, b = ... return math.type(a), math.type(b), a == b", chunkName: "types")
        state.push(8080)
        state.push(8080.0)
        try state.call(argumentCount: 2, resultCount: 3)
        #expect(try state.value(at: 1) == "integer")
        #expect(try state.value(at: 2) == "float")
        #expect(try state.value(at: 3) == true)
    }

    @Test func nestedTablesRoundTrip() throws {
        let state = try LuaState()
        let value: LuaValue = .table([
            "name": "busybox",
            "ports": .array([80, 443]),
            "nested": .table(["deep": .table(["deeper": .array(["x", .string([0])])])]),
            1: "first",
            2.5: "float key",
            true: "boolean key",
        ])
        state.push(value)
        #expect(try state.value(at: -1) == value)
    }

    @Test func arraysAndMapsAreSeenAsLuaSees() throws {
        let state = try LuaState()
        kl_push_library_opener(state.pointer)
        try state.call()
        try state.load("local t = ... return #t, t[1], t.k", chunkName: "shape")
        state.push(.table([1: "a", 2: "b", 3: "c", "k": "v"]))
        try state.call(argumentCount: 1, resultCount: 3)
        #expect(try state.value(at: 1) == 3)
        #expect(try state.value(at: 2) == "a")
        #expect(try state.value(at: 3) == "v")
    }

    @Test func readingACyclicTableTerminates() throws {
        let state = try LuaState()
        try state.load("local t = {} t.self = t return t", chunkName: "cycle")
        try state.call(resultCount: 1)
        guard case .table(let fields) = try state.value(at: -1) else {
            Issue.record("expected a table")
            return
        }
        #expect(fields.keys.contains("self"))
    }
}
