import CLua

/// Copies a Lua value out to Swift with bounded work and memory, using raw accesses only (no
/// metamethod, hence no script code, runs).
///
/// A table reached twice is copied once and shared (Swift's tables are copy-on-write), so
/// `t = {t1, t1}` nested forty deep costs forty tables, not 2^40; a table inside itself reads
/// as `.opaque("table")`, as does a table used as a key and nesting deeper than `maxDepth`.
/// What the copy holds (string bytes plus `valueCost` per value) may not pass `limit`.
struct LuaValueReader {
    /// The most a copy may hold unless the state's memory cap is smaller.
    static let defaultLimit = 16 << 20
    /// What one copied value is counted as, on top of its string bytes.
    static let valueCost = 32
    static let maxDepth = 64

    let L: OpaquePointer
    let limit: Int
    private var used = 0
    private var copied: [UnsafeRawPointer: LuaValue] = [:]
    private var open: Set<UnsafeRawPointer> = []

    /// A reader bounded by `defaultLimit` and by what is left under the state's memory cap.
    init(_ L: OpaquePointer) {
        self.L = L
        let runtime = kl_runtime_of(L)!.pointee
        limit = runtime.limit == 0 ? Self.defaultLimit : min(Self.defaultLimit, Int(runtime.limit))
    }

    static func tooLarge(limit: Int) -> LuaError {
        LuaError(kind: .runtime, message: "value too large to copy out of Lua (more than \(limit >> 10) KiB)")
    }

    mutating func read(at index: Int32, depth: Int = 0) throws(LuaError) -> LuaValue {
        try count(Self.valueCost)
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(lua_tointegerx(L, index, nil)) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            var length = 0
            let base = lua_tolstring(L, index, &length)
            try count(length)
            return .string(Array(UnsafeRawBufferPointer(start: base, count: length)))
        case LUA_TTABLE:
            return try readTable(at: lua_absindex(L, index), depth: depth)
        default:
            return .opaque(String(cString: lua_typename(L, lua_type(L, index))))
        }
    }

    private mutating func readTable(at table: Int32, depth: Int) throws(LuaError) -> LuaValue {
        guard let identity = lua_topointer(L, table) else { return .opaque("table") }
        if let done = copied[identity] { return done }
        guard depth < Self.maxDepth, !open.contains(identity), lua_checkstack(L, 3) != 0 else { return .opaque("table") }
        // A stand-in that cannot be decoded reads as what it holds: nothing.
        try? LuaLazyJSON.materialize(L, at: table)
        open.insert(identity)
        defer { open.remove(identity) }
        var fields: [LuaValue: LuaValue] = [:]
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            let key = lua_type(L, -2) == LUA_TTABLE ? LuaValue.opaque("table") : try read(at: -2, depth: depth + 1)
            do {
                fields[key] = try read(at: -1, depth: depth + 1)
            } catch {
                kl_pop(L, 2)
                throw error
            }
            kl_pop(L, 1)
        }
        let value = LuaValue.table(fields)
        copied[identity] = value
        return value
    }

    private mutating func count(_ bytes: Int) throws(LuaError) {
        used += bytes
        if used > limit { throw Self.tooLarge(limit: limit) }
    }
}
