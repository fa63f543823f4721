import CLua

extension LuaModule {
    /// `json.encode(value)`, `json.decode(text)`, `json.null`, and `json.array(t)` which marks a
    /// table to encode as an array even when empty.
    static let json = LuaModule(name: "json") { state in
        LuaJSON.installArrayMetatable(state.pointer)
        state.newTable(fieldCapacity: 4)
        state.pushFunction(named: "json.encode") { arguments in
            let L = arguments.state
            guard arguments.count >= 1 else { throw arguments.mismatch(1, expected: "value") }
            arguments.push(bytes: try arguments.encodeJSON(at: 1, for: "json.encode"))
            return 1
        }
        state.setField("encode")
        state.pushFunction(named: "json.decode") { arguments in
            try arguments.withBytes(at: 1) { text in try arguments.pushJSON(UnsafeRawBufferPointer(text), for: "json.decode") }
            return 1
        }
        state.setField("decode")
        state.pushFunction(named: "json.array") { arguments in
            if arguments.isNil(at: 1) { lua_createtable(arguments.state, 0, 0) } else { try arguments.requireTable(at: 1) }
            LuaJSON.pushArrayMetatable(arguments.state)
            lua_setmetatable(arguments.state, -2)
            return 1
        }
        state.setField("array")
        LuaJSON.pushNull(state.pointer)
        state.setField("null")
    }
}

extension LuaArguments {
    /// The value at `position` as JSON text, as `json.encode` makes it: bounded by the memory left
    /// under the script's cap and by its deadline; errors start with `what`.
    public func encodeJSON(at position: Int32, for what: String) throws -> [UInt8] {
        let L = state
        do throws(LuaJSONError) {
            return try LuaJSON.encode(L, at: position, maxBytes: memoryLeft, isInterrupted: { kl_check_kill(L, 0) != Int32(KL_KILL_NONE) })
        } catch where error.kind == .outOfMemory {
            throw memoryError("\(what): \(error.message)")
        } catch where error.kind == .interrupted {
            throw killError
        } catch {
            throw LuaRaisedError("\(what): \(error.message)")
        }
    }
}

extension LuaArguments {
    /// `table[name]` of the table at `position` (read raw) as JSON text, as `encodeJSON` makes it;
    /// nil when the field is nil.
    public func encodeJSON(field name: String, ofTableAt position: Int32, for what: String) throws -> [UInt8]? {
        let L = state
        let table = lua_absindex(L, position)
        push(name)
        lua_rawget(L, table)
        defer { lua_settop(L, -2) }
        if lua_type(L, -1) == LUA_TNIL { return nil }
        return try encodeJSON(at: lua_gettop(L), for: what)
    }
}

extension LuaArguments {
    /// Pushes JSON text decoded as `json.decode` decodes it, bounded by the script's memory cap.
    public func pushJSON(_ text: UnsafeRawBufferPointer, for what: String) throws {
        let runtime = kl_runtime_of(state)!
        let limits = LuaJSONLimits(isOverMemory: {
            runtime.pointee.limit > 0 && runtime.pointee.used > runtime.pointee.limit
        })
        let failure: LuaJSONError?
        do throws(LuaJSONError) {
            try LuaJSON.push(text, onto: state, limits: limits)
            failure = nil
        } catch {
            failure = error
        }
        if let failure { throw LuaRaisedError("\(what): \(failure.message)") }
    }
}
