import CLua

/// `string.gsub(s, pattern, repl, n)` with a string, table or function replacement.
extension LuaSandbox {
    static func gsub(_ arguments: LuaArguments, state: LuaState) throws -> Int32 {
        let L = arguments.state
        let replacementType = lua_type(L, 3)
        guard [LUA_TSTRING, LUA_TNUMBER, LUA_TTABLE, LUA_TFUNCTION].contains(replacementType) else {
            throw arguments.mismatch(3, expected: "string/function/table")
        }
        let limit = arguments.isNil(at: 4) ? nil : Int(try arguments.optionalInteger(at: 4, default: 0))
        // The result is built in Swift, outside the cap: it may use what is left under it.
        let maxOutput = arguments.memoryLeft
        let substitution = try arguments.withBytes(at: 1) { subject in
            try arguments.withBytes(at: 2) { pattern in
                if replacementType == LUA_TSTRING || replacementType == LUA_TNUMBER {
                    return try arguments.withBytes(at: 3) { template in
                        try translate(arguments) {
                            try LuaPattern.gsub(
                                subject, pattern, template: template, maxReplacements: limit, maxOutput: maxOutput, check: checker(arguments))
                        }
                    }
                }
                return try translate(arguments) {
                    try LuaPattern.gsub(subject, pattern, maxReplacements: limit, maxOutput: maxOutput, check: checker(arguments)) {
                        match, output in
                        try replace(match, subject: subject, with: replacementType, arguments: arguments, state: state, output: &output)
                    }
                }
            }
        }
        if let bytes = substitution.bytes { arguments.push(bytes: bytes) } else { lua_pushvalue(L, 1) }
        lua_pushinteger(L, lua_Integer(substitution.count))
        return 2
    }

    /// Looks the match up in the table, or calls the function with the captures; false or nil
    /// keeps the original text. Lua code runs here under the call's limits.
    private static func replace(
        _ match: borrowing LuaPatternMatchView, subject: UnsafeBufferPointer<UInt8>, with type: Int32,
        arguments: LuaArguments, state: LuaState, output: inout [UInt8]
    ) throws -> Bool {
        let L = arguments.state
        let values = try match.values()
        if type == LUA_TTABLE {
            kl_push_index(L)
            lua_pushvalue(L, 3)
            _ = try push(Array(values.prefix(1)), of: subject, to: arguments)
        } else {
            lua_pushvalue(L, 3)
            _ = try push(values, of: subject, to: arguments)
        }
        let argumentCount = Int32(type == LUA_TTABLE ? 2 : values.count)
        let status = state.enforcingMemoryLimit { kl_pcall(L, argumentCount, 1, 0) }
        guard status == LUA_OK else { throw LuaPendingError() }
        defer { kl_pop(L, 1) }
        switch lua_type(L, -1) {
        case LUA_TNIL: return false
        case LUA_TBOOLEAN where lua_toboolean(L, -1) == 0: return false
        case LUA_TSTRING, LUA_TNUMBER:
            var length = 0
            let base = lua_tolstring(L, -1, &length)
            output.append(contentsOf: UnsafeRawBufferPointer(start: base, count: length))
            return true
        default:
            let name = String(cString: lua_typename(L, lua_type(L, -1)))
            throw LuaRaisedError("invalid replacement value (a \(name))")
        }
    }
}
