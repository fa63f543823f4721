import CLua
import Testing
@testable import Lua

/// A plain Lua state for the JSON tests, with `null` (the JSON null sentinel), `ARRAY_MT` (the
/// array metatable) and a `deepeq` helper as globals.
final class JSONTestState {
    let L: OpaquePointer

    init() {
        L = luaL_newstate()!
        luaL_openlibs(L)
        LuaJSON.installArrayMetatable(L)
        LuaJSON.pushNull(L)
        lua_setglobal(L, "null")
        LuaJSON.pushArrayMetatable(L)
        lua_setglobal(L, "ARRAY_MT")
        let error = run("""
            function deepeq(a, b)
              if type(a) ~= type(b) then return false end
              if type(a) == 'number' then return math.type(a) == math.type(b) and a == b end
              if type(a) ~= 'table' then return a == b end
              if getmetatable(a) ~= getmetatable(b) then return false end
              for k, v in pairs(a) do if not deepeq(v, rawget(b, k)) then return false end end
              for k in pairs(b) do if rawget(a, k) == nil then return false end end
              return true
            end
            """)
        precondition(error == nil, error ?? "")
    }

    deinit { lua_close(L) }

    var top: Int32 { lua_gettop(L) }

    /// Decodes `json` and leaves the value on the stack.
    func push(_ json: String, limits: LuaJSONLimits = LuaJSONLimits()) throws(LuaJSONError) {
        try LuaJSON.push(Array(json.utf8), onto: L, limits: limits)
    }

    /// Decodes `json` into the global `name` (the stack is left as it was).
    func decode(_ json: String, as name: String = "v", limits: LuaJSONLimits = LuaJSONLimits()) throws(LuaJSONError) {
        try push(json, limits: limits)
        lua_setglobal(L, name)
    }

    /// The error of a decode that must fail.
    func decodeError(_ json: String, limits: LuaJSONLimits = LuaJSONLimits()) -> LuaJSONError? {
        do {
            try push(json, limits: limits)
            lua_settop(L, -2)
            return nil
        } catch {
            return error
        }
    }

    /// Runs a chunk; returns its error message, or nil when it ran through.
    @discardableResult
    func run(_ code: String) -> String? {
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        guard luaL_loadstring(L, code) == LUA_OK, kl_pcall(L, 0, 0, 0) == LUA_OK else {
            return String(cString: lua_tolstring(L, -1, nil))
        }
        return nil
    }

    /// Evaluates a Lua expression and encodes its value.
    func encode(_ expression: String, maxDepth: Int = 128) throws -> String {
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        guard luaL_loadstring(L, "return " + expression) == LUA_OK, kl_pcall(L, 0, 1, 0) == LUA_OK else {
            throw LuaFailure(message: String(cString: lua_tolstring(L, -1, nil)))
        }
        let bytes = try LuaJSON.encode(L, at: -1, maxDepth: maxDepth)
        #expect(lua_gettop(L) == base + 1, "encode must leave the stack unchanged")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The error of an encode that must fail.
    func encodeError(_ expression: String, maxDepth: Int = 128) -> LuaJSONError? {
        do {
            _ = try encode(expression, maxDepth: maxDepth)
            return nil
        } catch let error as LuaJSONError {
            return error
        } catch {
            Issue.record("Lua failed: \(error)")
            return nil
        }
    }
}

struct LuaFailure: Error {
    let message: String
}
