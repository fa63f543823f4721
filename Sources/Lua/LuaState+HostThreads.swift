import CLua

/// Handler calls run in coroutines of one state, and one call may wait on a helper while another
/// runs: a script must not be able to resume (or close) such a coroutine itself.
extension LuaState {
    /// Pushes the table whose keys are the threads only the host may resume (handler calls,
    /// which may be waiting on a helper): the sandbox refuses `coroutine.resume` and
    /// `coroutine.close` on them, so no call can run another call's code under its own context.
    public func pushHostThreads() {
        lua_pushstring(pointer, Self.hostThreadsKey)
        if lua_rawget(pointer, kl_registryindex()) == LUA_TTABLE { return }
        kl_pop(pointer, 1)
        lua_createtable(pointer, 0, 4)
        lua_createtable(pointer, 0, 1)
        setField("__mode", "k")
        lua_setmetatable(pointer, -2)
        lua_pushstring(pointer, Self.hostThreadsKey)
        lua_pushvalue(pointer, -2)
        lua_rawset(pointer, kl_registryindex())
    }

    private static let hostThreadsKey = "kubelua.host.threads"

    /// Records the thread on top of the main stack in the host threads table, when the state has one.
    func markAsHostThread() {
        lua_pushstring(pointer, Self.hostThreadsKey)
        guard lua_rawget(pointer, kl_registryindex()) == LUA_TTABLE else { return kl_pop(pointer, 1) }
        lua_pushvalue(pointer, -2)
        lua_pushboolean(pointer, 1)
        lua_rawset(pointer, -3)
        kl_pop(pointer, 1)
    }
}
