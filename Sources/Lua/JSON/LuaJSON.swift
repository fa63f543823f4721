import CLua

/// JSON ↔ Lua conversion for pod events: decoding goes straight from the API server's bytes onto
/// a Lua stack, encoding straight from a Lua value to bytes, with no intermediate tree.
///
/// Conventions shared by both directions:
/// - JSON `null` is a light userdata holding NULL (the runtime exposes it as `json.null`), so a
///   null survives in arrays and objects alike.
/// - Every decoded array carries the shared array metatable (`__name = "json.array"`, stored in
///   the registry under `arrayMetatableKey`, protected so scripts see `getmetatable(a) ==
///   "json.array"`), so an empty array encodes back as `[]`. Objects get no metatable.
///
/// These functions are called from Swift with the state's memory cap lifted, so no Lua
/// allocation raises; they use raw accesses only and never call Lua code or metamethods
/// themselves. (An allocation may still run a GC step, and with it a script's `__gc`
/// finalizer, under a protected call: that is a property of the whole bridge, not of JSON.)
public enum LuaJSON {
    /// Registry key of the array metatable.
    public static let arrayMetatableKey = "kubelua.json.array"
    /// The metatable's `__name`, which Lua shows in error messages and `tostring`.
    public static let arrayTypeName = "json.array"

    /// Decodes one JSON document and pushes it as exactly one value on top of `L`. On error the
    /// stack is left at the height it had before the call.
    public static func push(
        _ json: UnsafeRawBufferPointer,
        onto L: OpaquePointer,
        limits: LuaJSONLimits = LuaJSONLimits()
    ) throws(LuaJSONError) {
        let top = lua_gettop(L)
        guard lua_checkstack(L, LuaJSONDecoder.stackReserve) != 0 else {
            throw LuaJSONError(kind: .stackOverflow, message: "not enough Lua stack to decode JSON")
        }
        pushArrayMetatable(L)
        let bytes = json.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyInput
        let frameCount = min(limits.maxDepth, LuaJSONDecoder.initialFrames)
        try withUnsafeTemporaryAllocation(of: LuaJSONDecoder.Frame.self, capacity: frameCount) {
            (frames) throws(LuaJSONError) in
            var decoder = LuaJSONDecoder(
                L: L, bytes: bytes, count: json.count, metatable: top + 1, limits: limits, frames: frames)
            defer { decoder.release() }
            do throws(LuaJSONError) {
                try decoder.run()
            } catch {
                lua_settop(L, top)
                throw error
            }
        }
        // The result sits above the metatable: move it down into the metatable's slot.
        lua_copy(L, -1, top + 1)
        lua_settop(L, top + 1)
    }

    /// Convenience for callers holding an array.
    public static func push(_ json: [UInt8], onto L: OpaquePointer, limits: LuaJSONLimits = LuaJSONLimits()) throws(LuaJSONError) {
        let result: Result<Void, LuaJSONError> = json.withUnsafeBytes { buffer in
            do throws(LuaJSONError) {
                try push(buffer, onto: L, limits: limits)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Encodes the value at `index` as JSON text. The stack is left unchanged. The text may not
    /// grow past `maxBytes`; every `LuaJSONEncoder.checkInterval` bytes, `isInterrupted` is asked
    /// whether the call must stop (its budget or deadline ran out).
    public static func encode(
        _ L: OpaquePointer, at index: Int32, maxDepth: Int = 128, maxBytes: Int = .max, isInterrupted: (() -> Bool)? = nil
    ) throws(LuaJSONError) -> [UInt8] {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        let value = lua_absindex(L, index)
        guard lua_checkstack(L, 8) != 0 else {
            throw LuaJSONError(kind: .stackOverflow, message: "not enough Lua stack to encode JSON", path: "$")
        }
        // Fetched raw, never created: a state that never installed it has no arrays marked with it.
        lua_pushstring(L, arrayMetatableKey)
        lua_rawget(L, kl_registryindex())
        var encoder = LuaJSONEncoder(
            L: L, arrayMetatable: lua_gettop(L), maxDepth: maxDepth, maxBytes: maxBytes, isInterrupted: isInterrupted)
        defer { encoder.release() }
        do {
            try encoder.encodeValue(at: value, depth: 0)
            try encoder.checkLimits()
        } catch {
            throw error.publicError
        }
        return encoder.output.makeArray()
    }

    /// Pushes the JSON null sentinel.
    public static func pushNull(_ L: OpaquePointer) {
        lua_pushlightuserdata(L, nil)
    }

    /// Whether the value at `index` is the JSON null sentinel.
    public static func isNull(_ L: OpaquePointer, at index: Int32) -> Bool {
        lua_type(L, index) == LUA_TLIGHTUSERDATA && lua_touserdata(L, index) == nil
    }

    nonisolated(unsafe) private static let emptyInput: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()
}
