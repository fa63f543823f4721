import CLua

extension LuaState {
    /// Pushes a new empty table.
    public func newTable(arrayCapacity: Int32 = 0, fieldCapacity: Int32 = 0) {
        lua_createtable(pointer, arrayCapacity, fieldCapacity)
    }

    /// Pops a value and stores it under `key` in the table just below it, without metamethods.
    public func setField(_ key: String) {
        Self.pushString(key, onto: pointer)
        lua_rotate(pointer, -2, 1)
        lua_rawset(pointer, -3)
    }

    /// Stores `value` under `key` in the table on top of the stack, without metamethods.
    public func setField(_ key: String, _ value: String) {
        Self.pushString(value, onto: pointer)
        setField(key)
    }

    public func setField(_ key: String, _ value: Bool) {
        lua_pushboolean(pointer, value ? 1 : 0)
        setField(key)
    }

    /// Pushes the global `name` (a raw read of the globals table).
    public func pushGlobal(_ name: String) {
        lua_rawgeti(pointer, kl_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        Self.pushString(name, onto: pointer)
        lua_rawget(pointer, -2)
        lua_rotate(pointer, -2, 1)
        kl_pop(pointer, 1)
    }

    /// Pops a value and makes it the global `name` (a raw write of the globals table).
    public func setGlobal(_ name: String) {
        lua_rawgeti(pointer, kl_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        lua_rotate(pointer, -2, 1)
        setField(name)
        kl_pop(pointer, 1)
    }

    /// True when the global `name` is a function.
    public func hasFunction(_ name: String) -> Bool {
        pushGlobal(name)
        defer { kl_pop(pointer, 1) }
        return lua_type(pointer, -1) == LUA_TFUNCTION
    }
}

extension LuaState {
    /// Pushes `json.null`.
    public func pushJSONNull() {
        LuaJSON.pushNull(pointer)
    }
}

extension LuaArguments {
    /// Pushes a new table sized for `count` array elements.
    public func pushArray(count: Int) {
        lua_createtable(state, Int32(clamping: count), 0)
    }

    /// Pops the value on top into the table below it, at `index`.
    public func setArrayElement(_ index: Int) {
        lua_rawseti(state, -2, lua_Integer(index))
    }
}
