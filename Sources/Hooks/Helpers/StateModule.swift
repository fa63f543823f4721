import Lua

extension LuaModule {
    /// `state.get(key)`, `state.set(key, value)`, `state.delete(key)`, `state.keys()`: small
    /// JSON facts a hook keeps across reloads and restarts (`docs/hooks.md`).
    static func state(_ store: HookStateStore) -> LuaModule {
        LuaModule(name: "state") { state in
            state.newTable(fieldCapacity: 4)
            state.pushFunction(named: "state.get") { arguments in
                guard let value = store.value(try arguments.string(at: 1)) else {
                    arguments.pushNil()
                    return 1
                }
                try value.withUnsafeBytes { try arguments.pushJSON($0, for: "state.get") }
                return 1
            }
            state.setField("get")
            state.pushFunction(named: "state.set") { arguments in
                let key = try arguments.string(at: 1)
                guard arguments.count >= 2, !arguments.isNil(at: 2) else { throw LuaRaisedError("state.set: no value for '\(key)' (state.delete removes a key)") }
                let value = try arguments.encodeJSON(at: 2, for: "state.set")
                if let used = store.set(key, value) {
                    throw LuaRaisedError(
                        "state.set: '\(key)' (\(value.count) bytes) does not fit: this hook's state holds \(used) of \(HookStateStore.limit) bytes "
                            + "(state is for small facts; delete what is no longer needed)")
                }
                return 0
            }
            state.setField("set")
            state.pushFunction(named: "state.delete") { arguments in
                store.delete(try arguments.string(at: 1))
                return 0
            }
            state.setField("delete")
            state.pushFunction(named: "state.keys") { arguments in
                arguments.push(.array(store.keys.map { .string($0) }))
                return 1
            }
            state.setField("keys")
        }
    }
}
