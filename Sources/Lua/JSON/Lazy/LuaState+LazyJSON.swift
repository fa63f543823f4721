import CLua
import JSONBytes

extension LuaState {
    /// Pushes `json` (one object or array; a scalar is decoded at once) for scripts to read,
    /// decoded on demand (see `LuaLazyJSON`). `index`, when not empty, must index exactly these
    /// bytes. Leaves exactly one value on the stack, or throws with the stack unchanged when the
    /// text is not one complete JSON value's outline.
    /// The bytes are copied once into a `JSONText`, which the pushed document keeps.
    public func pushLazyJSON(_ json: [UInt8], index: JSONContainerIndex = JSONContainerIndex()) throws(LuaJSONError) {
        try pushLazyJSON(JSONText(json, index: index))
    }

    /// Pushes `json` as `pushLazyJSON` does, with `index` (normally `json.index`, which costs
    /// nothing: the document references the text's block; another index means a copy), showing
    /// the script only what `view` keeps (nil: all of it).
    public func pushLazyJSON(_ json: JSONText, index: JSONContainerIndex, view: JSONProjection? = nil) throws(LuaJSONError) {
        try pushLazyJSON(Self.text(json, index: index), view: view)
    }

    /// Pushes `json` with its own index, referencing its block (no copy), showing the script
    /// only what `view` keeps (nil: all of it).
    public func pushLazyJSON(_ json: JSONText, view: JSONProjection? = nil) throws(LuaJSONError) {
        pushLazyPrototype()
        kl_pop(pointer, 1)
        try Self.pushLazyJSON(json, view: view, onto: pointer)
    }

    /// `json`, or a copy of it with `index` when that is not its own.
    static func text(_ json: JSONText, index: JSONContainerIndex) -> JSONText {
        index.isStored(in: json) ? json : json.withUnsafeBufferPointer { JSONText(copying: $0, index: index) }
    }

    /// `pushLazyJSON` onto any thread of a state whose lazy prototype exists (every sandboxed
    /// state's does); without it the value is decoded at once (whole: only hosts that never
    /// pass a view push before the prototype exists).
    static func pushLazyJSON(_ json: JSONText, view: JSONProjection? = nil, onto L: OpaquePointer) throws(LuaJSONError) {
        let outline = json.withUnsafeBufferPointer { LuaLazyJSON.outline(of: $0) }
        // A view that keeps the document whole is none.
        let root: Int? = if case .narrowed(let node) = view?.root { node } else { nil }
        lua_pushstring(L, LuaLazyJSON.prototypeKey)
        guard let outline, lua_rawget(L, kl_registryindex()) == LUA_TTABLE else {
            lua_settop(L, -2)
            try json.withUnsafeBufferPointer { (bytes) throws(LuaJSONError) in try LuaJSON.push(UnsafeRawBufferPointer(bytes), onto: L) }
            return
        }
        let prototype = lua_gettop(L)
        LuaJSON.installArrayMetatable(L)
        LuaLazyDocument(json: json, view: root == nil ? nil : view).push(onto: L)
        lua_createtable(L, 3, 5)
        let metatable = lua_gettop(L)
        lua_pushnil(L)
        while lua_next(L, prototype) != 0 {
            lua_pushvalue(L, -2)
            lua_rotate(L, -2, 1)
            lua_rawset(L, metatable)
        }
        lua_pushvalue(L, metatable - 1)
        lua_rawseti(L, metatable, LuaLazyJSON.documentSlot)
        lua_createtable(L, 0, 8)
        lua_pushvalue(L, -1)
        lua_rawseti(L, metatable, LuaLazyJSON.standInsSlot)
        var nodes: Int32?
        if root != nil {
            lua_createtable(L, 0, 4)
            lua_pushvalue(L, -1)
            lua_rawseti(L, metatable, LuaLazyJSON.nodesSlot)
            nodes = metatable + 2
        }
        LuaLazyJSON.pushStandIn(L, range: outline, slots: .init(metatable: metatable, standIns: metatable + 1, nodes: nodes), node: root)
        lua_copy(L, -1, prototype)
        lua_settop(L, prototype)
    }

    /// Pushes the state's lazy mark: the `__metatable` of every stand-in, by which the sandbox
    /// recognises them.
    public func pushLazyMark() {
        pushLazyPrototype()
        lua_pushstring(pointer, "__metatable")
        lua_rawget(pointer, -2)
        lua_rotate(pointer, -2, 1)
        lua_settop(pointer, -2)
    }

    /// Pushes the state's `next`, which decodes a stand-in before it steps through it: what
    /// `pairs` hands out and what the sandbox makes the global `next`.
    public func pushDecodingNext() {
        pushLazyPrototype()
        kl_pop(pointer, 1)
        lua_pushstring(pointer, LuaLazyJSON.nextKey)
        lua_rawget(pointer, kl_registryindex())
    }

    /// Pushes the prototype of document metatables, creating it (and the decoding `next`) on
    /// first use.
    private func pushLazyPrototype() {
        let L = pointer
        lua_pushstring(L, LuaLazyJSON.prototypeKey)
        if lua_rawget(L, kl_registryindex()) == LUA_TTABLE { return }
        lua_settop(L, -2)
        lua_createtable(L, 0, 5)
        for (name, function) in [
            ("__index", StandInMetamethods.index), ("__newindex", StandInMetamethods.newIndex),
            ("__len", StandInMetamethods.length), ("__pairs", StandInMetamethods.pairs),
        ] as [(String, LuaFunction)] {
            pushFunction(named: name, function)
            lua_setfield(L, -2, name)
        }
        lua_createtable(L, 0, 0)
        lua_setfield(L, -2, "__metatable")
        lua_pushstring(L, LuaLazyJSON.prototypeKey)
        lua_pushvalue(L, -2)
        lua_rawset(L, kl_registryindex())
        lua_pushstring(L, LuaLazyJSON.nextKey)
        lua_getfield(L, -2, "__metatable")
        pushFunction(named: "next") { arguments in
            try arguments.materialize(at: 1)
            return 0
        }
        kl_push_decoding_next(L)
        lua_rawset(L, kl_registryindex())
    }
}

/// The stand-ins' metamethods: decode, then do what the operation does on a plain table.
private enum StandInMetamethods {
    static func index(_ arguments: LuaArguments) throws -> Int32 {
        let L = arguments.state
        try arguments.materialize(at: 1)
        lua_settop(L, 2)
        lua_rawget(L, 1)
        return 1
    }

    static func newIndex(_ arguments: LuaArguments) throws -> Int32 {
        let L = arguments.state
        try arguments.materialize(at: 1)
        if lua_type(L, 2) == LUA_TNIL { throw LuaRaisedError("index is nil") }
        if lua_type(L, 2) == LUA_TNUMBER, lua_isinteger(L, 2) == 0, lua_tonumberx(L, 2, nil).isNaN {
            throw LuaRaisedError("index is NaN")
        }
        lua_settop(L, 3)
        lua_rawset(L, 1)
        return 0
    }

    static func length(_ arguments: LuaArguments) throws -> Int32 {
        try arguments.materialize(at: 1)
        lua_pushinteger(arguments.state, lua_Integer(lua_rawlen(arguments.state, 1)))
        return 1
    }

    static func pairs(_ arguments: LuaArguments) throws -> Int32 {
        let L = arguments.state
        try arguments.materialize(at: 1)
        lua_pushstring(L, LuaLazyJSON.nextKey)
        lua_rawget(L, kl_registryindex())
        lua_pushvalue(L, 1)
        lua_pushnil(L)
        return 3
    }
}

extension LuaArguments {
    /// Pushes `json` decoded on demand, as handlers receive pods (see `LuaState.pushLazyJSON`).
    public func pushLazyJSON(_ json: [UInt8], index: JSONContainerIndex = JSONContainerIndex()) throws(LuaJSONError) {
        try LuaState.pushLazyJSON(JSONText(json, index: index), onto: state)
    }

    /// Pushes `json` decoded on demand with `index`, showing only what `view` keeps (see
    /// `LuaState.pushLazyJSON(_:index:view:)`).
    public func pushLazyJSON(_ json: JSONText, index: JSONContainerIndex, view: JSONProjection? = nil) throws(LuaJSONError) {
        try LuaState.pushLazyJSON(LuaState.text(json, index: index), view: view, onto: state)
    }

    /// Decodes the stand-in at `position` (see `LuaLazyJSON`); a JSON error becomes a Lua error.
    func materialize(at position: Int32) throws {
        do {
            try LuaLazyJSON.materialize(state, at: position)
        } catch {
            throw LuaRaisedError("malformed JSON in a decoded-on-demand object: \(error.message)")
        }
    }
}
