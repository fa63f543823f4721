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
            do throws(LuaJSONError) {
                let text = try LuaJSON.encode(
                    L, at: 1, maxBytes: arguments.memoryLeft, isInterrupted: { kl_check_kill(L, 0) != Int32(KL_KILL_NONE) })
                arguments.push(bytes: text)
                return 1
            } catch where error.kind == .outOfMemory {
                throw arguments.memoryError("json.encode: \(error.message)")
            } catch where error.kind == .interrupted {
                throw arguments.killError
            } catch {
                throw LuaRaisedError("json.encode: \(error.message)")
            }
        }
        state.setField("encode")
        state.pushFunction(named: "json.decode") { arguments in
            let runtime = kl_runtime_of(arguments.state)!
            let limits = LuaJSONLimits(isOverMemory: {
                runtime.pointee.limit > 0 && runtime.pointee.used > runtime.pointee.limit
            })
            do {
                try arguments.withBytes(at: 1) { text in try LuaJSON.push(UnsafeRawBufferPointer(text), onto: arguments.state, limits: limits) }
                return 1
            } catch let error as LuaJSONError {
                throw LuaRaisedError("json.decode: \(error.message)")
            }
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
