import CLua
import FakeAPIServer
import Testing
@testable import Lua

@Suite("JSON decoding")
struct JSONDecodeTests {
    @Test func integersStayIntegersAndFloatsStayFloats() throws {
        let state = JSONTestState()
        try state.decode("""
            [0, -0, 8080, -17, 9223372036854775807, -9223372036854775808,
             9223372036854775808, -9223372036854775809, 18446744073709551616,
             123456789012345678901234567890, 1.5, -0.0, 1e3, 1E-2, 2.5e+2, 0.1, 1e400, -1e400, 1e-400,
             10000000000000000000, 0.000123, 1.0]
            """)
        #expect(state.run("""
            local i, f = 'integer', 'float'
            local expected = {
              {0, i}, {0, i}, {8080, i}, {-17, i}, {math.maxinteger, i}, {math.mininteger, i},
              {2^63, f}, {-2^63, f}, {2^64, f},
              {1.2345678901234568e29, f}, {1.5, f}, {-0.0, f}, {1000.0, f}, {0.01, f}, {250.0, f}, {0.1, f},
              {math.huge, f}, {-math.huge, f}, {0.0, f},
              {1e19, f}, {0.000123, f}, {1.0, f},
            }
            assert(#v == #expected, 'length ' .. #v)
            for k, e in ipairs(expected) do
              assert(math.type(v[k]) == e[2], k .. ': ' .. tostring(math.type(v[k])))
              assert(v[k] == e[1], k .. ': ' .. tostring(v[k]))
            end
            assert(1 / v[12] == -math.huge, '-0.0 keeps its sign')
            assert(math.tointeger(v[3]) == 8080 and tostring(v[3]) == '8080')
            """) == nil)
    }

    /// The fast path (mantissa × exact power of ten) and the slow path must both round
    /// correctly: compare against Swift's own parser on many shapes of numbers.
    @Test func floatsParseCorrectlyRounded() throws {
        let state = JSONTestState()
        var rng = SeededRandom(seed: 42)
        var texts: [String] = ["0.1", "0.2", "0.3", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
                               "9007199254740993.0", "9007199254740992e1", "0.30000000000000004", "123.456e-7",
                               "1e22", "1e23", "8.5e-22", "3.14159265358979323846264338327950288"]
        for _ in 0..<3000 {
            let bits = rng.next()
            let value = Double(bitPattern: bits & 0x7FEF_FFFF_FFFF_FFFF)
            texts.append(value.description)
            let digits = Int(rng.next() % 20) + 1
            let mantissa = rng.next() % 10_000_000_000_000_000_000
            let exponent = Int(rng.next() % 60) - 30
            texts.append("\(String(String(mantissa).prefix(digits)))e\(exponent)")
            texts.append("0.\(String(mantissa).prefix(digits))")
        }
        let json = "[" + texts.joined(separator: ",") + "]"
        try state.push(json)
        defer { lua_settop(state.L, -2) }
        for (k, text) in texts.enumerated() {
            lua_rawgeti(state.L, -1, Int64(k + 1))
            let decoded = lua_tonumberx(state.L, -1, nil)
            let isFloat = lua_isinteger(state.L, -1) == 0
            lua_settop(state.L, -2)
            let expected = Double(text)!
            #expect(isFloat || !text.contains(where: { ".eE".contains($0) }))
            #expect(decoded.bitPattern == expected.bitPattern, "\(text): \(decoded) vs \(expected)")
        }
    }

    @Test func stringsWithEscapesNulSurrogatesAndUTF8() throws {
        let state = JSONTestState()
        try state.decode(#"""
            ["plain", "a\"b\\c\/d\be\ff\ng\rh\ti", "nul\u0000inside", "\u00e9\u20AC\ud83d\ude00",
             "héllo wörld €😀", "", "long run without escapes then \n an escape", "\u0041\u0042",
             "abcdefgh\"", "éééééééééé\n", "x\u0000"]
            """#)
        #expect(state.run(#"""
            assert(v[1] == 'plain')
            assert(v[2] == 'a"b\\c/d\be\ff\ng\rh\ti', v[2])
            assert(v[3] == 'nul\0inside' and #v[3] == 10)
            assert(v[4] == '\u{e9}\u{20ac}\u{1f600}')
            assert(v[5] == 'héllo wörld €😀')
            assert(v[6] == '')
            assert(v[7] == 'long run without escapes then \n an escape')
            assert(v[8] == 'AB')
            assert(v[9] == 'abcdefgh"')
            assert(v[10] == 'éééééééééé\n')
            assert(v[11] == 'x\0' and #v[11] == 2)
            """#) == nil)
    }

    @Test func nestedObjectsAndArrays() throws {
        let state = JSONTestState()
        try state.decode("""
             { "metadata": {"name": "web-1", "labels": {"app": "web"}},
               "spec": {"containers": [{"name": "app", "ports": [{"containerPort": 8080}]}, {"name": "sidecar"}]},
               "empty_object": {}, "empty_array": [], "flags": [true, false], "nested": [[1, [2, [3]]]] }
            """)
        #expect(state.run("""
            assert(v.metadata.name == 'web-1' and v.metadata.labels.app == 'web')
            assert(#v.spec.containers == 2 and v.spec.containers[2].name == 'sidecar')
            assert(v.spec.containers[1].ports[1].containerPort == 8080)
            assert(math.type(v.spec.containers[1].ports[1].containerPort) == 'integer')
            assert(getmetatable(v) == nil and getmetatable(v.metadata) == nil, 'objects have no metatable')
            assert(getmetatable(v.spec.containers) == 'json.array' and getmetatable(v.empty_array) == 'json.array')
            assert(getmetatable(v.empty_object) == nil and next(v.empty_object) == nil)
            assert(next(v.empty_array) == nil)
            assert(v.flags[1] == true and v.flags[2] == false)
            assert(v.nested[1][2][2][1] == 3)
            assert(ARRAY_MT.__name == 'json.array')
            """) == nil)
    }

    @Test func theSharedArrayMetatableIsProtectedFromScripts() throws {
        let state = JSONTestState()
        try state.decode(#"{"list": [1], "other": []}"#)
        #expect(state.run("setmetatable(v.list, nil)")?.contains("cannot change a protected metatable") == true)
        #expect(state.run("""
            assert(getmetatable(v.list) == 'json.array' and ARRAY_MT.__name == 'json.array')
            assert(tostring(v.list):match('^json.array: '))
            """) == nil)
        lua_getglobal(state.L, "v")
        lua_getfield(state.L, -1, "other")
        #expect(LuaJSON.isArray(state.L, at: -1))
        #expect(!LuaJSON.isArray(state.L, at: -2))
        lua_settop(state.L, 0)
        // Installing again keeps the same table, so arrays decoded earlier stay recognised.
        LuaJSON.installArrayMetatable(state.L)
        #expect(try state.encode("v.other") == "[]")
    }

    @Test func nullIsTheLightUserdataSentinelEverywhere() throws {
        let state = JSONTestState()
        try state.decode(#"{"a": null, "list": [null, 1, null, null], "only": [null]}"#)
        #expect(state.run("""
            assert(v.a == null and type(v.a) == 'userdata')
            assert(#v.list == 4 and v.list[1] == null and v.list[2] == 1 and v.list[4] == null)
            assert(#v.only == 1 and v.only[1] == null)
            """) == nil)
        try state.push("null")
        #expect(LuaJSON.isNull(state.L, at: -1))
        lua_settop(state.L, 0)
    }

    @Test func scalarDocumentsAndWhitespace() throws {
        let state = JSONTestState()
        try state.decode(" \t\r\n 42 \n", as: "a")
        try state.decode("\"s\"", as: "b")
        try state.decode("true", as: "c")
        try state.decode("-1.5e-1", as: "d")
        try state.decode("[ 1 , { \"k\" : [ ] } ]", as: "e")
        #expect(state.run("assert(a == 42 and b == 's' and c == true and d == -0.15 and #e[2].k == 0)") == nil)
        #expect(state.top == 0)
    }

    @Test func duplicateKeysLastOneWins() throws {
        let state = JSONTestState()
        try state.decode(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(state.run("assert(v.a == 3 and v.b == 2)") == nil)
    }

    @Test func resultLandsAboveExistingStackValues() throws {
        let state = JSONTestState()
        lua_pushinteger(state.L, 7)
        lua_pushstring(state.L, "keep")
        try state.push(#"{"x": [1, 2]}"#)
        #expect(state.top == 3)
        #expect(lua_type(state.L, 3) == LUA_TTABLE)
        #expect(String(cString: lua_tolstring(state.L, 2, nil)) == "keep")
        #expect(lua_tointegerx(state.L, 1, nil) == 7)
        _ = state.decodeError("[1, 2")
        #expect(state.top == 3, "a failed decode restores the stack height")
        lua_settop(state.L, 0)
    }

    @Test func depthLimit() throws {
        let state = JSONTestState()
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        try state.decode(ok)
        let error = state.decodeError(String(repeating: "[", count: 513) + String(repeating: "]", count: 513))
        #expect(error?.kind == .tooDeep)
        #expect(error?.message == "nesting deeper than 512 at line 1, column 513 (offset 512)")

        let hostile = state.decodeError(String(repeating: "[", count: 100_000))
        #expect(hostile?.kind == .tooDeep)
        let objects = state.decodeError(String(repeating: #"{"a":"#, count: 100_000))
        #expect(objects?.kind == .tooDeep)
        #expect(state.top == 0)

        let custom = state.decodeError(#"{"a": {"b": [1]}}"#, limits: LuaJSONLimits(maxDepth: 2))
        #expect(custom?.message == "nesting deeper than 2 at line 1, column 13 (offset 12)")
    }

    @Test func hugeArrayOfAMillionNumbers() throws {
        let state = JSONTestState()
        var json = "["
        json.reserveCapacity(7_000_000)
        for i in 0..<1_000_000 {
            if i > 0 { json += "," }
            json += String(i)
        }
        json += "]"
        try state.decode(json)
        #expect(state.top == 0)
        #expect(state.run("""
            assert(#v == 1000000, #v)
            for i = 1, #v do if v[i] ~= i - 1 then error('at ' .. i) end end
            assert(math.type(v[1000000]) == 'integer')
            """) == nil)
    }

    /// Containers larger than the flush chunk get their table early; nesting under a big
    /// container and objects with many keys (duplicates across chunks) must come out whole.
    @Test func largeContainersAreFlushedInChunks() throws {
        let state = JSONTestState()
        let keys = (0..<10_000).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let inner = "[" + (0..<5000).map(String.init).joined(separator: ",") + "]"
        let big = "[" + Array(repeating: inner, count: 3).joined(separator: ",") + "]"
        try state.decode("{\(keys), \"k0\": \"last\", \"big\": \(big), \"k1\": \"end\"}")
        #expect(state.run("""
            local n = 0
            for k in pairs(v) do n = n + 1 end
            assert(n == 10001, n)
            assert(v.k0 == 'last' and v.k1 == 'end' and v.k9999 == 9999)
            assert(#v.big == 3 and #v.big[3] == 5000 and v.big[3][5000] == 4999)
            assert(getmetatable(v.big[2]) == 'json.array')
            """) == nil)
    }

    /// Deep nesting where every level carries a nearly full chunk: the soft cap keeps the Lua
    /// stack bounded instead of piling up levels × chunk pending slots.
    @Test func manyLevelsOfPendingElementsStayWithinTheLuaStack() throws {
        let state = JSONTestState()
        let levels = 400
        let filler = Array(repeating: "0", count: 4000).joined(separator: ",")
        let json = String(repeating: "[\(filler),", count: levels) + "1" + String(repeating: "]", count: levels)
        try state.decode(json)
        #expect(state.run("""
            local t = v
            for level = 1, \(levels) do
              assert(#t == 4001, level .. ': ' .. #t)
              t = t[4001]
            end
            assert(t == 1)
            """) == nil)
    }

    @Test func memoryCheckAbortsCleanly() throws {
        let state = JSONTestState()
        lua_pushstring(state.L, "below")
        let over = state.decodeError(#"{"a": [1, 2, 3]}"#, limits: LuaJSONLimits(isOverMemory: { true }))
        #expect(over?.kind == .outOfMemory)
        #expect(over?.message == "not enough memory")
        #expect(state.top == 1)

        // Consulted every `memoryCheckInterval` values as well as on every close.
        var calls = 0
        let numbers = "[" + (0..<100_000).map(String.init).joined(separator: ",") + "]"
        let limits = LuaJSONLimits(memoryCheckInterval: 1024, isOverMemory: {
            calls += 1
            return calls > 10
        })
        let late = state.decodeError(numbers, limits: limits)
        #expect(late?.kind == .outOfMemory)
        #expect(calls == 11)
        #expect(late.map { $0.offset! > 10 * 1024 && $0.offset! < 12 * 1024 * 6 } == true)
        #expect(state.top == 1)

        var count = 0
        try state.push(numbers, limits: LuaJSONLimits(isOverMemory: { count += 1; return false }))
        #expect(count == 100_000 / 1024 + 1)
        lua_settop(state.L, 0)
    }

    /// Every error message, with its position.
    @Test(arguments: [
        ("", "unexpected end of input at line 1, column 1 (offset 0)"),
        ("   ", "unexpected end of input at line 1, column 4 (offset 3)"),
        ("{\n  \"a\": 1,\n    }", "unexpected character '}' at line 3, column 5 (offset 16)"),
        ("[1, 2,]", "unexpected character ']' at line 1, column 7 (offset 6)"),
        ("[1 2]", "unexpected character '2' at line 1, column 4 (offset 3)"),
        (#"{"a" 1}"#, "unexpected character '1' at line 1, column 6 (offset 5)"),
        (#"{"a": 1 "b": 2}"#, "unexpected character '\"' at line 1, column 9 (offset 8)"),
        ("{1: 2}", "unexpected character '1' at line 1, column 2 (offset 1)"),
        (#"["abc", "de"#, "unterminated string at line 1, column 9 (offset 8)"),
        (#"["a\"#, "unterminated string at line 1, column 2 (offset 1)"),
        (#""\u12"#, "unterminated string at line 1, column 1 (offset 0)"),
        ("[1] [2]", "trailing characters after the document at line 1, column 5 (offset 4)"),
        ("{} x", "trailing characters after the document at line 1, column 4 (offset 3)"),
        (#"["a\qb"]"#, "invalid escape '\\q' in string at line 1, column 4 (offset 3)"),
        (#"["\u12G4"]"#, "invalid \\u escape in string at line 1, column 3 (offset 2)"),
        (#"["x\ud800"]"#, "lone surrogate \\uD800 in string at line 1, column 4 (offset 3)"),
        (#"["\ud800\u0041"]"#, "lone surrogate \\uD800 in string at line 1, column 3 (offset 2)"),
        (#"["\udc00"]"#, "lone surrogate \\uDC00 in string at line 1, column 3 (offset 2)"),
        ("[\"tab\there\"]", "unescaped control character U+0009 in string at line 1, column 6 (offset 5)"),
        ("[\"esc\\n then\nnewline\"]", "unescaped control character U+000A in string at line 1, column 13 (offset 12)"),
        ("[\"é\u{01}\"]", "unescaped control character U+0001 in string at line 1, column 4 (offset 4)"),
        ("[01]", "invalid number (leading zero) at line 1, column 2 (offset 1)"),
        ("[1.]", "invalid number at line 1, column 2 (offset 1)"),
        ("[1.e5]", "invalid number at line 1, column 2 (offset 1)"),
        ("[1e]", "invalid number at line 1, column 2 (offset 1)"),
        ("[-]", "unexpected character ']' at line 1, column 3 (offset 2)"),
        ("-", "unexpected end of input at line 1, column 2 (offset 1)"),
        ("[+1]", "unexpected character '+' at line 1, column 2 (offset 1)"),
        ("[.5]", "unexpected character '.' at line 1, column 2 (offset 1)"),
        ("[tru]", "unexpected character ']' at line 1, column 5 (offset 4)"),
        ("nul", "unexpected end of input at line 1, column 4 (offset 3)"),
        ("[True]", "unexpected character 'T' at line 1, column 2 (offset 1)"),
        ("[NaN]", "unexpected character 'N' at line 1, column 2 (offset 1)"),
        ("{\"a\":1", "unexpected end of input at line 1, column 7 (offset 6)"),
        ("[\"ü\", ü]", "unexpected character 'ü' at line 1, column 7 (offset 7)"),
        ("[\u{01}]", "unexpected character U+0001 at line 1, column 2 (offset 1)"),
    ])
    func syntaxErrorMessages(input: String, message: String) {
        let state = JSONTestState()
        let error = state.decodeError(input)
        #expect(error?.message == message)
        #expect(error?.kind == .syntax)
        #expect(state.top == 0)
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() {
        let state = JSONTestState()
        let cases: [([UInt8], String)] = [
            (Array("[\"ab".utf8) + [0xFF] + Array("\"]".utf8), "line 1, column 5 (offset 4)"),
            (Array("[\"a\\n".utf8) + [0xC3, 0x28] + Array("\"]".utf8), "line 1, column 6 (offset 5)"),
            (Array("\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"".utf8), "line 1, column 2 (offset 1)"), // encoded surrogate
            (Array("\"".utf8) + [0xC0, 0xAF] + Array("\"".utf8), "line 1, column 2 (offset 1)"), // overlong
            (Array("\"0123456789".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\"".utf8), "line 1, column 12 (offset 11)"),
        ]
        for (bytes, position) in cases {
            do {
                try LuaJSON.push(bytes, onto: state.L)
                Issue.record("decoded invalid UTF-8 \(bytes)")
            } catch {
                #expect(error.message == "invalid UTF-8 in string at " + position)
            }
        }
        let raw = Array("[\"".utf8) + [0xFF] + Array("\"]".utf8)
        #expect(throws: LuaJSONError.self) { try LuaJSON.push(raw, onto: state.L) }
        #expect(state.top == 0)
    }
}

