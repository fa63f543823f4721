import CLua
import Testing
@testable import Lua

@Suite("JSON encoding")
struct JSONEncodeTests {
    @Test func scalars() throws {
        let state = JSONTestState()
        #expect(try state.encode("8080") == "8080")
        #expect(try state.encode("math.mininteger") == "-9223372036854775808")
        #expect(try state.encode("math.maxinteger") == "9223372036854775807")
        #expect(try state.encode("2.0") == "2.0")
        #expect(try state.encode("-0.0") == "-0.0")
        #expect(try state.encode("0.1") == "0.1")
        #expect(try state.encode("1e300") == "1e+300")
        #expect(try state.encode("1/3") == "0.3333333333333333")
        #expect(try state.encode("2^53") == "9007199254740992.0")
        #expect(try state.encode("true") == "true")
        #expect(try state.encode("false") == "false")
        #expect(try state.encode("nil") == "null")
        #expect(try state.encode("null") == "null")
    }

    @Test func stringsAreEscaped() throws {
        let state = JSONTestState()
        #expect(try state.encode(#"'plain'"#) == #""plain""#)
        #expect(try state.encode(#"'q"b\\s/'"#) == #""q\"b\\s/""#)
        #expect(try state.encode(#"'\n\r\t\b\f\0\1\31\127'"#) == "\"\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\u{7F}\"")
        #expect(try state.encode(#"'héllo € 😀 and a long ASCII tail after it'"#) == "\"héllo € 😀 and a long ASCII tail after it\"")
        #expect(try state.encode(#"'0123456789abcdef"0123456789abcdef\\'"#) == #""0123456789abcdef\"0123456789abcdef\\""#)
        #expect(try state.encode("''") == #""""#)
    }

    @Test func tablesBecomeArraysOrObjects() throws {
        let state = JSONTestState()
        #expect(try state.encode("{1, 2, 3}") == "[1,2,3]")
        #expect(try state.encode("{}") == "{}")
        #expect(try state.encode("setmetatable({}, ARRAY_MT)") == "[]")
        #expect(try state.encode("{null, 'x', null}") == #"[null,"x",null]"#)
        #expect(try state.encode("{a = 1}") == #"{"a":1}"#)
        #expect(try state.encode("{[1] = 'a', [3] = 'c'}").hasPrefix("{"))
        #expect(try state.encode("{[2] = 'b'}") == #"{"2":"b"}"#)
        #expect(try state.encode("{[1.5] = 'x'}") == #"{"1.5":"x"}"#)
        #expect(try state.encode("{[-1] = 'x'}") == #"{"-1":"x"}"#)
        #expect(try state.encode("{1, 2, x = 3}").hasPrefix("{"))
        #expect(try state.encode("{{}, {{}}}") == "[{},[{}]]")
        // A marked array may have holes; they become null.
        #expect(try state.encode("setmetatable({[1] = 1, [3] = 3}, ARRAY_MT)") == "[1,null,3]")
        // Metamethods are never consulted.
        #expect(try state.encode("setmetatable({}, {__index = function() error('ran') end, __len = function() return 5 end})") == "{}")
        #expect(try state.encode("setmetatable({1}, {__pairs = function() error('ran') end})") == "[1]")
    }

    @Test func encodingLeavesValuesAndKeysUntouched() throws {
        let state = JSONTestState()
        #expect(state.run("t = {1.5, 7, k = 2}; u = {[10] = 1, [2.5] = 2}") == nil)
        #expect(try state.encode("t").hasPrefix("{"))
        #expect(try state.encode("u").hasPrefix("{"))
        #expect(state.run("""
            assert(math.type(t[1]) == 'float' and math.type(t[2]) == 'integer' and math.type(t.k) == 'integer')
            assert(u[10] == 1 and u[2.5] == 2 and u['10'] == nil and u['2.5'] == nil)
            for k in pairs(u) do assert(type(k) == 'number', 'a number key became a ' .. type(k)) end
            """) == nil)
    }

    @Test func objectKeysCoverEveryEntry() throws {
        let state = JSONTestState()
        let text = try state.encode("{a = 1, b = 'two', c = {d = false}, [10] = 10}")
        try state.decode(text)
        #expect(state.run("assert(v.a == 1 and v.b == 'two' and v.c.d == false and v['10'] == 10)") == nil)
    }

    @Test(arguments: [
        ("0/0", "cannot encode NaN at $"),
        ("{x = {1, 2, -(0/0)}}", "cannot encode NaN at $.x[3]"),
        ("{math.huge}", "cannot encode inf at $[1]"),
        ("{a = -math.huge}", "cannot encode -inf at $.a"),
        ("{spec = {containers = {{}, {x = print}}}}", "cannot encode a function at $.spec.containers[2].x"),
        ("{['a key'] = {['q\"'] = coroutine.create(print)}}", #"cannot encode a thread at $["a key"]["q\""]"#),
        ("{[true] = 1}", "cannot encode a boolean key at $"),
        ("{nested = {[{}] = 1}}", "cannot encode a table key at $.nested"),
        ("{[7] = {[2.5] = print}}", "cannot encode a function at $[7][2.5]"),
        ("{name = 'ok\\255'}", "invalid UTF-8 in string at $.name"),
        ("{['bad\\192\\175'] = 1}", "invalid UTF-8 in key at $"),
        ("{s = '\\237\\160\\128'}", "invalid UTF-8 in string at $.s"),
        ("setmetatable({1, x = 2}, ARRAY_MT)", #"cannot encode key "x" in a json.array at $"#),
        ("{list = setmetatable({[1] = 1, [1000] = 2}, ARRAY_MT)}", "cannot encode a sparse json.array (2 elements, largest index 1000) at $.list"),
        ("{[math.huge] = 1}", "cannot encode inf as a key at $"),
        ("io.stdout", "cannot encode a userdata at $"),
    ])
    func errorsNameThePath(expression: String, message: String) {
        let state = JSONTestState()
        let error = state.encodeError(expression)
        #expect(error?.message == message)
        #expect(error?.kind == .unencodable)
        #expect(error?.path.map { message.hasSuffix(" at " + $0) } == true)
        #expect(state.top == 0)
    }

    @Test func cyclesAndDepthAreBounded() throws {
        let state = JSONTestState()
        let cycle = state.encodeError("(function() local t = {}; t.self = t; return t end)()")
        #expect(cycle?.kind == .tooDeep)
        #expect(cycle?.message == "nesting deeper than 128 (is there a cycle?) at $" + String(repeating: ".self", count: 128))

        let arrayCycle = state.encodeError("(function() local t = {}; t[1] = t; return t end)()", maxDepth: 3)
        #expect(arrayCycle?.message == "nesting deeper than 3 (is there a cycle?) at $[1][1][1]")

        // 128 levels are fine, 129 are not.
        let nest = "(function(n) local t = {} for _ = 2, n do t = {t} end return t end)"
        #expect(try state.encode("\(nest)(128)") == String(repeating: "[", count: 127) + "{}" + String(repeating: "]", count: 127))
        #expect(state.encodeError("\(nest)(129)")?.kind == .tooDeep)
        #expect(state.top == 0)
    }

    @Test func stackIsUnchangedAfterFailure() throws {
        let state = JSONTestState()
        lua_pushinteger(state.L, 1)
        #expect(luaL_loadstring(state.L, "return {a = {b = {c = print}}}") == LUA_OK)
        #expect(kl_pcall(state.L, 0, 1, 0) == LUA_OK)
        #expect(throws: LuaJSONError.self) { try LuaJSON.encode(state.L, at: -1) }
        #expect(state.top == 2)
        let bytes = try LuaJSON.encode(state.L, at: 1)
        #expect(bytes == Array("1".utf8))
        #expect(state.top == 2)
        lua_settop(state.L, 0)
    }

    @Test func encodesWithoutAnInstalledMetatable() throws {
        let L = luaL_newstate()!
        defer { lua_close(L) }
        lua_createtable(L, 0, 0)
        #expect(try LuaJSON.encode(L, at: -1) == Array("{}".utf8))
        lua_pushinteger(L, 5)
        lua_rawseti(L, 1, 1)
        #expect(try LuaJSON.encode(L, at: 1) == Array("[5]".utf8))
    }
}
