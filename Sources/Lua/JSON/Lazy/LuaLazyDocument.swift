import CLua
import JSONBytes

/// The JSON text behind a pushed document, shared with the host rather than copied into Lua:
/// a pod's bytes stay where the informer cache keeps them, and Lua holds a reference. The Lua
/// side is a small userdata holding a retained pointer to this box; its `__gc` releases it.
final class LuaLazyDocument {
    /// The bytes and their index, in the block the cache keeps them in.
    let json: JSONText
    /// What the script is shown of them (nil: all of it).
    let view: JSONProjection?

    init(json: JSONText, view: JSONProjection?) {
        self.json = json
        self.view = view
    }

    /// Registry key of the userdata metatable (its only field is `__gc`).
    static let metatableKey = "kubelua.lazy.document"

    /// Pushes a userdata that keeps `self` alive until Lua collects it. Lua sees only the small
    /// userdata, so the bytes it keeps alive are counted as if Lua had allocated them: garbage
    /// documents (holding pod versions the cache has dropped) are then collected as promptly.
    func push(onto L: OpaquePointer) {
        kl_gc_external(L, Int32(clamping: json.storedByteCount / 1024))
        let slot = lua_newuserdatauv(L, MemoryLayout<UnsafeMutableRawPointer>.size, 0)!
        slot.storeBytes(of: Unmanaged.passRetained(self).toOpaque(), as: UnsafeMutableRawPointer.self)
        lua_pushstring(L, Self.metatableKey)
        if lua_rawget(L, kl_registryindex()) != LUA_TTABLE {
            lua_settop(L, -2)
            lua_createtable(L, 0, 1)
            lua_pushcclosure(L, releaseDocument, 0)
            lua_setfield(L, -2, "__gc")
            lua_pushstring(L, Self.metatableKey)
            lua_pushvalue(L, -2)
            lua_rawset(L, kl_registryindex())
        }
        lua_setmetatable(L, -2)
    }

    /// The document a userdata pushed by `push` holds, or nil for any other value.
    static func from(_ L: OpaquePointer, at position: Int32) -> LuaLazyDocument? {
        let index = lua_absindex(L, position)
        guard lua_type(L, index) == LUA_TUSERDATA, lua_rawlen(L, index) == MemoryLayout<UnsafeMutableRawPointer>.size,
            lua_getmetatable(L, index) != 0
        else { return nil }
        lua_pushstring(L, metatableKey)
        lua_rawget(L, kl_registryindex())
        let ours = lua_rawequal(L, -1, -2) != 0
        lua_settop(L, -3)
        guard ours, let pointer = lua_touserdata(L, index)?.load(as: UnsafeMutableRawPointer?.self) else { return nil }
        return Unmanaged<LuaLazyDocument>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// `__gc` of document userdata: drops the reference. It calls no Lua function that can raise,
/// so it is safe as a finalizer (which Lua runs outside any call's limits).
private let releaseDocument: @convention(c) (OpaquePointer?) -> Int32 = { L in
    guard let slot = lua_touserdata(L, 1), let pointer = slot.load(as: UnsafeMutableRawPointer?.self) else { return 0 }
    slot.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
    Unmanaged<LuaLazyDocument>.fromOpaque(pointer).release()
    return 0
}
