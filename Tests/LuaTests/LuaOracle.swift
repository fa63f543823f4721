import CLua

/// A value crossing between the tests and Lua: what the pattern functions take and return.
enum LuaTestValue: Equatable, CustomStringConvertible {
    case `nil`
    case int(Int)
    case bool(Bool)
    case bytes([UInt8])

    static func string(_ text: String) -> LuaTestValue { .bytes(Array(text.utf8)) }

    var description: String {
        switch self {
        case .nil: "nil"
        case .int(let value): String(value)
        case .bool(let value): String(value)
        case .bytes(let bytes): quoted(bytes)
        }
    }
}

/// The result of one call on either side: returned values or an error message.
enum LuaTestOutcome: Equatable, CustomStringConvertible {
    case values([LuaTestValue])
    case error(String)

    var description: String {
        switch self {
        case .values(let values): "(" + values.map(\.description).joined(separator: ", ") + ")"
        case .error(let message): "error: \(message)"
        }
    }
}

func quoted(_ bytes: [UInt8]) -> String {
    var text = "\""
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "\""): text += "\\\""
        case UInt8(ascii: "\\"): text += "\\\\"
        case 0x20 ..< 0x7F: text.append(Character(Unicode.Scalar(byte)))
        default: text += "\\\(byte)"
        }
    }
    return text + "\""
}

/// Lua's own string library, run in a plain state: the reference the Swift matcher is held to.
final class LuaOracle {
    let L: OpaquePointer

    /// Helpers that flatten each operation's results into a list of values. `gmatch` gives, per
    /// iteration, the number of values followed by the values. `gsubf` and `gsubt` use the
    /// function and table replacements that `SwiftPatterns` mirrors.
    static let helpers = """
    H = {}
    function H.find(s, p, init, plain) return string.find(s, p, init, plain) end
    function H.match(s, p, init) return string.match(s, p, init) end
    function H.gmatch(s, p, init)
      local out, rounds = {}, 0
      local it = string.gmatch(s, p, init)
      while true do
        local r = table.pack(it())
        if r[1] == nil then break end
        out[#out + 1] = r.n
        for i = 1, r.n do out[#out + 1] = r[i] end
        rounds = rounds + 1
        if rounds > 100000 then error("runaway gmatch") end
      end
      return table.unpack(out)
    end
    function H.gsub(s, p, repl, n) return string.gsub(s, p, repl, n) end
    function H.gsubf(s, p, n)
      return string.gsub(s, p, function(...)
        local t = table.pack(...)
        local parts = {}
        for i = 1, t.n do
          parts[i] = math.type(t[i]) == "integer" and ("#" .. t[i]) or t[i]
        end
        local joined = table.concat(parts, ",")
        if joined:find("b", 1, true) then return nil end
        if joined == "" then return false end
        return "<" .. joined .. ">"
      end, n)
    end
    local T = { a = "A", ab = "AB", ["("] = "P", [""] = "E", [1] = "one", [3] = false, ["x"] = false }
    function H.gsubt(s, p, n) return string.gsub(s, p, T, n) end
    """

    init() {
        L = luaL_newstate()!
        luaL_openlibs(L)
        precondition(luaL_loadstring(L, Self.helpers) == LUA_OK)
        precondition(kl_pcall(L, 0, 0, 0) == LUA_OK)
    }

    deinit { lua_close(L) }

    /// Calls helper `H[name]` with `args` (`.nil` passes nil) in protected mode.
    func call(_ name: String, _ args: [LuaTestValue]) -> LuaTestOutcome {
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        lua_getglobal(L, "H")
        lua_getfield(L, -1, name)
        for arg in args {
            switch arg {
            case .nil: lua_pushnil(L)
            case .int(let value): lua_pushinteger(L, lua_Integer(value))
            case .bool(let value): lua_pushboolean(L, value ? 1 : 0)
            case .bytes(let bytes):
                bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        _ = lua_pushlstring(L, chars.baseAddress, chars.count)
                    }
                }
            }
        }
        let status = kl_pcall(L, Int32(args.count), LUA_MULTRET, 0)
        if status != LUA_OK {
            let message = bytes(at: -1).map { String(decoding: $0, as: UTF8.self) } ?? "?"
            return .error(Self.withoutPosition(message))
        }
        var values: [LuaTestValue] = []
        let top = lua_gettop(L)
        if top > base + 1 {
            for index in (base + 2) ... top {
                switch lua_type(L, index) {
                case LUA_TNIL: values.append(.nil)
                case LUA_TBOOLEAN: values.append(.bool(lua_toboolean(L, index) != 0))
                case LUA_TNUMBER: values.append(.int(Int(lua_tointegerx(L, index, nil))))
                default: values.append(.bytes(bytes(at: index) ?? []))
                }
            }
        }
        return .values(values)
    }

    /// Drops the `[string "..."]:17: ` that Lua prefixes when a helper's Lua code called the
    /// failing function; the Swift side has no chunk positions.
    static func withoutPosition(_ message: String) -> String {
        let prefix = "[string \"H = {}...\"]:"
        guard message.hasPrefix(prefix) else { return message }
        let rest = message.dropFirst(prefix.count).drop(while: \.isNumber)
        return rest.hasPrefix(": ") ? String(rest.dropFirst(2)) : message
    }

    private func bytes(at index: Int32) -> [UInt8]? {
        var length = 0
        guard let chars = lua_tolstring(L, index, &length) else { return nil }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
