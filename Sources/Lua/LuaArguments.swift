import CLua

/// The arguments of one call from Lua into Swift, and the stack to push its results onto.
/// Valid only during the call.
public struct LuaArguments {
    /// The calling thread.
    public let state: OpaquePointer
    /// The function's name, for error messages.
    public let functionName: String
    /// The context the running call was resumed with (see `LuaState.resume`).
    public let callContext: (any Sendable)?

    public var count: Int32 { lua_gettop(state) }

    /// Seconds left before the running call's deadline, or nil when it has none: a helper that
    /// waits bounds its work by it.
    public var secondsLeft: Double? {
        guard let runtime = kl_runtime_of(state), runtime.pointee.deadline > 0 else { return nil }
        return max(0, runtime.pointee.deadline - kl_now())
    }

    public func type(at position: Int32) -> LuaType { LuaType(rawValue: lua_type(state, position)) ?? .none }

    public func isNil(at position: Int32) -> Bool { kl_isnoneornil(state, position) != 0 }

    /// The argument as a copied value; throws when it is too large (see `LuaValueReader`).
    public func value(at position: Int32) throws -> LuaValue { try LuaState.value(at: position, of: state) }

    public func bytes(at position: Int32) throws -> [UInt8] {
        guard let bytes = LuaState.bytes(at: position, of: state) else { throw mismatch(position, expected: "string") }
        return bytes
    }

    public func string(at position: Int32) throws -> String {
        String(decoding: try bytes(at: position), as: UTF8.self)
    }

    public func optionalString(at position: Int32) throws -> String? {
        isNil(at: position) ? nil : try string(at: position)
    }

    /// Calls `body` with the bytes of a string argument in place, without copying. A number is
    /// converted as Lua converts it, on a copy (the argument itself is left alone).
    public func withBytes<T>(at position: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        let type = lua_type(state, position)
        guard type == LUA_TSTRING || type == LUA_TNUMBER else { throw mismatch(position, expected: "string") }
        var index = position
        if type == LUA_TNUMBER {
            lua_pushvalue(state, position)
            index = lua_gettop(state)
        }
        defer {
            if type == LUA_TNUMBER { // remove the copy, keeping whatever `body` pushed above it
                lua_rotate(state, index, -1)
                kl_pop(state, 1)
            }
        }
        var length = 0
        let base = lua_tolstring(state, index, &length)
        return try body(UnsafeBufferPointer(start: UnsafeRawPointer(base)?.assumingMemoryBound(to: UInt8.self), count: length))
    }

    /// An optional integer argument (integral floats and numeric strings convert, as in Lua).
    public func optionalInteger(at position: Int32, default value: Int64) throws -> Int64 {
        guard !isNil(at: position) else { return value }
        var isInteger: Int32 = 0
        let result = lua_tointegerx(state, position, &isInteger)
        guard isInteger != 0 else {
            throw lua_type(state, position) == LUA_TNUMBER
                ? invalid(position, "number has no integer representation") : mismatch(position, expected: "number")
        }
        return result
    }

    /// The pseudo-index of upvalue `index` (1-based) of a closure pushed with upvalues.
    public func upvalueIndex(_ index: Int32) -> Int32 { kl_upvalueindex(index + 1) }

    public func integer(at position: Int32) throws -> Int64 {
        var isInteger: Int32 = 0
        let value = lua_tointegerx(state, position, &isInteger)
        guard isInteger != 0 else { throw mismatch(position, expected: "integer") }
        return value
    }

    public func number(at position: Int32) throws -> Double {
        var isNumber: Int32 = 0
        let value = lua_tonumberx(state, position, &isNumber)
        guard isNumber != 0 else { throw mismatch(position, expected: "number") }
        return value
    }

    public func optionalNumber(at position: Int32) throws -> Double? {
        isNil(at: position) ? nil : try number(at: position)
    }

    public func boolean(at position: Int32) -> Bool { lua_toboolean(state, position) != 0 }

    public func requireTable(at position: Int32) throws {
        guard lua_type(state, position) == LUA_TTABLE else { throw mismatch(position, expected: "table") }
    }

    public func push(_ value: LuaValue) { LuaState.push(value, onto: state) }
    public func push(_ text: String) { LuaState.pushString(text, onto: state) }
    public func push(bytes: [UInt8]) { LuaState.pushBytes(bytes, onto: state) }
    public func pushNil() { lua_pushnil(state) }

    /// The error Lua's own functions give for a wrong argument.
    public func mismatch(_ position: Int32, expected: String) -> LuaRaisedError {
        let actual = lua_type(state, position) == LUA_TNONE ? "no value" : String(cString: lua_typename(state, lua_type(state, position)))
        return LuaRaisedError("bad argument #\(position) to '\(functionName)' (\(expected) expected, got \(actual))")
    }

    public func invalid(_ position: Int32, _ message: String) -> LuaRaisedError {
        LuaRaisedError("bad argument #\(position) to '\(functionName)' (\(message))")
    }
}

/// Lua's basic types, as `lua_type` reports them.
public enum LuaType: Int32, Sendable {
    case none = -1
    case `nil` = 0
    case boolean = 1
    case lightUserdata = 2
    case number = 3
    case string = 4
    case table = 5
    case function = 6
    case userdata = 7
    case thread = 8
}
