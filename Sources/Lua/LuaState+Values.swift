import CLua

extension LuaState {
    /// Pushes a copy of `value` onto the main thread's stack.
    public func push(_ value: LuaValue) {
        Self.push(value, onto: pointer)
    }

    /// Copies the value at `index` of the main thread's stack out of Lua; throws when it is too
    /// large (see `LuaValueReader`).
    public func value(at index: Int32) throws(LuaError) -> LuaValue {
        try Self.value(at: index, of: pointer)
    }

    /// Pushes onto any thread of a state. The caller has lifted the memory cap (host mode), so
    /// the allocations here cannot raise.
    static func push(_ value: LuaValue, onto L: OpaquePointer) {
        guard lua_checkstack(L, 3) != 0 else { return }
        switch value {
        case .nil, .opaque: lua_pushnil(L)
        case .boolean(let flag): lua_pushboolean(L, flag ? 1 : 0)
        case .integer(let number): lua_pushinteger(L, number)
        case .number(let number): lua_pushnumber(L, number)
        case .string(let bytes): pushBytes(bytes, onto: L)
        case .table(let fields):
            let arrayCount = (1...max(1, fields.count)).prefix { fields[.integer(Int64($0))] != nil }.count
            lua_createtable(L, Int32(clamping: arrayCount), Int32(clamping: fields.count - arrayCount))
            for (key, element) in fields {
                if case .nil = key { continue }
                push(key, onto: L)
                push(element, onto: L)
                lua_rawset(L, -3)
            }
        }
    }

    static func pushBytes(_ bytes: [UInt8], onto L: OpaquePointer) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = lua_pushlstring(L, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buffer.count)
        }
    }

    static func pushString(_ text: String, onto L: OpaquePointer) {
        var text = text
        text.withUTF8 { buffer in
            _ = lua_pushlstring(L, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buffer.count)
        }
    }

    /// Reads a value using raw accesses only, so no metamethod (script code) runs; bounded as
    /// `LuaValueReader` describes.
    static func value(at index: Int32, of L: OpaquePointer) throws(LuaError) -> LuaValue {
        var reader = LuaValueReader(L)
        return try reader.read(at: index)
    }

    /// The bytes of the string at `index`, or nil when the value is not a string. Numbers are
    /// not converted: `lua_tolstring` would rewrite them in place.
    static func bytes(at index: Int32, of L: OpaquePointer) -> [UInt8]? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let base = lua_tolstring(L, index, &length) else { return nil }
        return Array(UnsafeRawBufferPointer(start: base, count: length))
    }

    static func string(at index: Int32, of L: OpaquePointer) -> String? {
        bytes(at: index, of: L).map { String(decoding: $0, as: UTF8.self) }
    }
}
