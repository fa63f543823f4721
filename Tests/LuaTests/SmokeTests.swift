import CLua
import Testing

@Test func nativeLuaRuns() {
    let L = luaL_newstate()!
    defer { lua_close(L) }
    luaL_openlibs(L)
    #expect(luaL_loadstring(L, "return 1 + 2") == LUA_OK)
    #expect(kl_pcall(L, 0, 1, 0) == LUA_OK)
    #expect(lua_tointegerx(L, -1, nil) == 3)
}
