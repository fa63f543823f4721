import CLua
import JSONBytes

/// JSON objects pushed for scripts to read but decoded only as far as they read: what hooks get
/// for pods. A handler that looks at `new.status.phase` decodes the top level, then `status`,
/// not the other ~6 KB of the pod.
///
/// Pushing wraps the JSON in a document (a userdata referencing the host's bytes, not a copy)
/// and pushes a *stand-in*: an empty table whose metatable (one per document) routes `__index`,
/// `__newindex`, `__len` and `__pairs` to host functions that first decode the stand-in's own
/// level into it, jumping over nested containers with the document's container index. Nested
/// objects and arrays become stand-ins in turn. Once decoded, a table is exactly what
/// `LuaJSON.push` would have built: objects lose the metatable, arrays get the json.array one.
///
/// Raw accesses bypass metamethods, so whatever reads tables raw decodes first: `next`, and the
/// iterator `pairs` returns, is a `next` that decodes (`kl_decoding_next`); the sandbox wraps
/// `rawget`, `rawlen`, `rawset`, `getmetatable` and `setmetatable` (it recognises stand-ins by
/// their `__metatable`, the state's *lazy mark*); and the host's own readers (the JSON encoder,
/// `LuaState.value`) call `materialize`.
///
/// A document pushed with a view (`JSONProjection`) shows only what the view keeps: a member it
/// drops is left out of its table as if the JSON lacked it.
///
/// Document metatable: the four metamethods, `__metatable` = the mark, [1] = the document,
/// [2] = a table from each undecoded stand-in to its byte range in the document, and for a
/// document with a view, [3] = a table from each undecoded stand-in the view narrows to its node.
public enum LuaLazyJSON {
    /// Registry key of the table the document metatables are copied from.
    static let prototypeKey = "kubelua.lazy.prototype"
    /// Registry key of the decoding `next` (see `kl_decoding_next`).
    static let nextKey = "kubelua.lazy.next"
    static let documentSlot: lua_Integer = 1
    static let standInsSlot: lua_Integer = 2
    static let nodesSlot: lua_Integer = 3

    /// Where a document's tables are on the stack while stand-ins are made for it.
    struct Slots {
        let metatable: Int32
        let standIns: Int32
        /// Nil for a document without a view.
        let nodes: Int32?
    }

    /// Decodes the stand-in at `index` into itself; does nothing for any other value (including
    /// a stand-in already decoded). Host context only: it allocates with the memory cap lifted.
    public static func materialize(_ L: OpaquePointer, at index: Int32) throws(LuaJSONError) {
        guard lua_type(L, index) == LUA_TTABLE, lua_checkstack(L, 12) != 0 else { return }
        let table = lua_absindex(L, index)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard lua_getmetatable(L, table) != 0 else { return }
        let metatable = top + 1
        lua_rawgeti(L, metatable, documentSlot)
        guard let document = LuaLazyDocument.from(L, at: -1), lua_rawgeti(L, metatable, standInsSlot) == LUA_TTABLE else { return }
        var slots = Slots(metatable: metatable, standIns: top + 3, nodes: nil)
        var node: Int?
        if document.view != nil, lua_rawgeti(L, metatable, nodesSlot) == LUA_TTABLE {
            slots = Slots(metatable: metatable, standIns: slots.standIns, nodes: top + 4)
            lua_pushvalue(L, table)
            if lua_rawget(L, top + 4) == LUA_TNUMBER { node = Int(lua_tointegerx(L, -1, nil)) }
        }
        lua_pushvalue(L, table)
        guard lua_rawget(L, slots.standIns) == LUA_TNUMBER else { return }
        let range = unpack(lua_tointegerx(L, -1, nil))
        guard range.lowerBound >= 0, range.upperBound <= document.json.count, !range.isEmpty else { return }
        let isArray = try document.json.withUnsafeBufferPointer { (bytes) throws(LuaJSONError) -> Bool in
            try document.json.index.withUnsafePairs { (index) throws(LuaJSONError) -> Bool in
                try decode(L, table: table, bytes: bytes.baseAddress!, range: range, index: index, slots: slots, view: document.view, node: node)
                return bytes[range.lowerBound] == UInt8(ascii: "[")
            }
        }
        lua_pushvalue(L, table)
        lua_pushnil(L)
        lua_rawset(L, slots.standIns)
        if node != nil, let nodes = slots.nodes {
            lua_pushvalue(L, table)
            lua_pushnil(L)
            lua_rawset(L, nodes)
        }
        if isArray {
            LuaJSON.pushArrayMetatable(L)
        } else {
            lua_pushnil(L)
        }
        lua_setmetatable(L, table)
    }

    /// Decodes the level at `range` of the document into `table`, or empties it and throws.
    private static func decode(
        _ L: OpaquePointer, table: Int32, bytes: UnsafePointer<UInt8>, range: Range<Int>, index: UnsafeBufferPointer<UInt32>,
        slots: Slots, view: JSONProjection?, node: Int?
    ) throws(LuaJSONError) {
        try withUnsafeTemporaryAllocation(of: LuaJSONDecoder.Frame.self, capacity: 1) { (frames) throws(LuaJSONError) in
            var decoder = LuaJSONDecoder(
                L: L, bytes: bytes, count: range.upperBound, metatable: 0, limits: LuaJSONLimits(), frames: frames)
            defer { decoder.release() }
            decoder.pos = range.lowerBound
            do throws(LuaJSONError) {
                try decoder.decodeShallow(into: table, index: index, view: view, node: node) { nested, child in
                    pushStandIn(L, range: nested, slots: slots, node: child)
                }
            } catch {
                clear(L, table: table)
                throw error
            }
        }
    }

    /// Pushes a stand-in for the container at `range` of the document whose tables are at
    /// `slots`, read through `node` of the document's view (nil: whole).
    static func pushStandIn(_ L: OpaquePointer, range: Range<Int>, slots: Slots, node: Int?) {
        lua_createtable(L, 0, 0)
        lua_pushvalue(L, slots.metatable)
        lua_setmetatable(L, -2)
        lua_pushvalue(L, -1)
        lua_pushinteger(L, pack(range))
        lua_rawset(L, slots.standIns)
        if let node, let nodes = slots.nodes {
            lua_pushvalue(L, -1)
            lua_pushinteger(L, lua_Integer(node))
            lua_rawset(L, nodes)
        }
    }

    /// Removes what a failed decode left in the table, so every later access fails the same way.
    private static func clear(_ L: OpaquePointer, table: Int32) {
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            lua_settop(L, -2)
            lua_pushvalue(L, -1)
            lua_pushnil(L)
            lua_rawset(L, table)
        }
    }

    static func pack(_ range: Range<Int>) -> lua_Integer {
        lua_Integer(range.lowerBound) << 32 | lua_Integer(range.upperBound)
    }

    static func unpack(_ packed: lua_Integer) -> Range<Int> {
        let lower = Int(packed >> 32), upper = Int(packed & 0xFFFF_FFFF)
        return lower..<max(lower, upper)
    }
}

extension LuaLazyJSON {
    /// The byte range of the object or array `json` holds (surrounding whitespace excluded),
    /// or nil when it holds anything else. Only the outer brackets are checked here.
    static func outline(of json: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let first = json.firstIndex(where: { !JSONScan.isWhitespace($0) }),
            let last = json.lastIndex(where: { !JSONScan.isWhitespace($0) }), first < last
        else { return nil }
        switch (json[first], json[last]) {
        case (UInt8(ascii: "{"), UInt8(ascii: "}")), (UInt8(ascii: "["), UInt8(ascii: "]")): return first..<(last + 1)
        default: return nil
        }
    }
}
