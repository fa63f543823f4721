import CLua

extension LuaJSON {
    /// Creates the array metatable in the registry unless it is already there. Idempotent;
    /// leaves the stack unchanged.
    public static func installArrayMetatable(_ L: OpaquePointer) {
        pushArrayMetatable(L)
        lua_settop(L, -2)
    }

    /// Pushes the array metatable, creating and registering it first if needed. Raw accesses
    /// only: the registry and the new table have no metatables, but nothing here may run Lua code.
    ///
    /// The metatable is shared by every decoded array, so it is protected with `__metatable`:
    /// scripts see `getmetatable(array) == "json.array"` and cannot reach the table itself to add
    /// `__index`, `__newindex` or `__gc` behind every other array's back (the host, going through
    /// the C API, is unaffected).
    public static func pushArrayMetatable(_ L: OpaquePointer) {
        lua_pushstring(L, arrayMetatableKey)
        if lua_rawget(L, kl_registryindex()) == LUA_TTABLE { return }
        lua_settop(L, -2)
        lua_createtable(L, 0, 2)
        lua_pushstring(L, "__name")
        lua_pushstring(L, arrayTypeName)
        lua_rawset(L, -3)
        lua_pushstring(L, "__metatable")
        lua_pushstring(L, arrayTypeName)
        lua_rawset(L, -3)
        lua_pushstring(L, arrayMetatableKey)
        lua_pushvalue(L, -2)
        lua_rawset(L, kl_registryindex())
    }

    /// Whether the table at `index` carries the array metatable.
    public static func isArray(_ L: OpaquePointer, at index: Int32) -> Bool {
        guard lua_type(L, index) == LUA_TTABLE, lua_getmetatable(L, index) != 0 else { return false }
        lua_pushstring(L, arrayMetatableKey)
        lua_rawget(L, kl_registryindex())
        let result = lua_rawequal(L, -1, -2) != 0
        lua_settop(L, -3)
        return result
    }
}
