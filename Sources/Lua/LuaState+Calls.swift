import CLua

extension LuaState {
    /// Compiles `source` as a text chunk (binary chunks are refused) and pushes it as a
    /// function. `chunkName` is what error messages show, e.g. `hooks/default/observer.lua`
    /// (a file name: Lua shortens a long one to `...` and its end).
    public func load(_ source: [UInt8], chunkName: String) throws(LuaError) {
        let status = enforcingMemoryLimit {
            source.withUnsafeBufferPointer { buffer in
                luaL_loadbufferx(
                    pointer, UnsafeRawPointer(buffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) },
                    buffer.count, "@" + chunkName, "t")
            }
        }
        guard status == LUA_OK else { throw popError(status: status) }
    }

    public func load(_ source: String, chunkName: String) throws(LuaError) {
        try load(Array(source.utf8), chunkName: chunkName)
    }

    /// Calls the function below `argumentCount` arguments on the main thread, with a traceback
    /// on error. Script code may not suspend here (use `resume` for handlers).
    public func call(argumentCount: Int32 = 0, resultCount: Int32 = 0, limits: LuaCallLimits = .unlimited) throws(LuaError) {
        let functionIndex = top - argumentCount
        kl_push_message_handler(pointer)
        lua_rotate(pointer, functionIndex, 1)
        activate(LuaCallBudget(limits), on: pointer)
        let status = enforcingMemoryLimit { kl_pcall(pointer, argumentCount, resultCount, functionIndex) }
        lua_rotate(pointer, functionIndex, -1)
        kl_pop(pointer, 1) // the message handler
        if status != LUA_OK { throw popError(status: status) }
        if let killKind {
            setTop(functionIndex - 1)
            throw LuaError(kind: killKind, message: killMessage)
        }
    }

    var killMessage: String {
        String(cString: kl_kill_message(runtime.pointee.killed))
    }

    /// Turns the error on top of the main stack into a `LuaError` and pops it.
    func popError(status: Int32) -> LuaError {
        let (message, traceback) = Self.splitTraceback(Self.describeError(at: -1, of: pointer))
        kl_pop(pointer, 1)
        return LuaError(kind: errorKind(status: status), message: message, traceback: traceback)
    }

    func errorKind(status: Int32) -> LuaError.Kind {
        if let killKind { return killKind }
        switch status {
        case LUA_ERRSYNTAX: return .syntax
        case LUA_ERRMEM: return .memory
        default: return memoryExceeded ? .memory : .runtime
        }
    }

    /// Describes an error object without running script code: strings as they are, anything
    /// else by its type (a hostile `__tostring` is never called).
    static func describeError(at index: Int32, of L: OpaquePointer) -> String {
        switch lua_type(L, index) {
        case LUA_TSTRING: return string(at: index, of: L) ?? ""
        case LUA_TNUMBER:
            return lua_isinteger(L, index) != 0 ? String(lua_tointegerx(L, index, nil)) : String(lua_tonumberx(L, index, nil))
        default: return "(error object is a \(String(cString: lua_typename(L, lua_type(L, index)))) value)"
        }
    }

    /// Separates the message from the traceback `luaL_traceback` appended to it.
    static func splitTraceback(_ text: String) -> (String, String?) {
        let marker = Array("\nstack traceback:".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count >= marker.count,
            let start = (0...(bytes.count - marker.count)).first(where: { bytes[$0..<$0 + marker.count].elementsEqual(marker) })
        else { return (text, nil) }
        return (String(decoding: bytes[..<start], as: UTF8.self), String(decoding: bytes[(start + 1)...], as: UTF8.self))
    }
}
