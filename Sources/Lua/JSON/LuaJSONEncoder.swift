import CLua

/// Writes the Lua value at a stack slot as JSON. Reads are raw only (`lua_next`, `lua_rawgeti`,
/// `lua_rawlen`, type checks), so no metamethod or other Lua code can run.
///
/// Recursion is bounded by `maxDepth`, which is also what stops a table that contains itself.
/// The work is bounded by the output: every value writes at least one byte, and the text may
/// not pass `maxBytes` (a table referenced from many places is written out each time, so
/// `t = {t, t}` forty deep would otherwise mean 2^40 values).
/// Failures carry the path back up: each container level appends its key on the way out, so
/// the happy path keeps no path bookkeeping at all.
struct LuaJSONEncoder {
    /// Output bytes between two checks of `maxBytes` and `isInterrupted`.
    static let checkInterval = 64 << 10

    let L: OpaquePointer
    /// Slot holding the registry's array metatable (or nil when none was ever installed).
    let arrayMetatable: Int32
    let maxDepth: Int
    let maxBytes: Int
    let isInterrupted: (() -> Bool)?
    var output = JSONByteBuffer(capacity: 4096)
    /// Output size at which `checkLimits` runs next.
    var nextCheck = checkInterval

    init(L: OpaquePointer, arrayMetatable: Int32, maxDepth: Int, maxBytes: Int = .max, isInterrupted: (() -> Bool)? = nil) {
        self.L = L
        self.arrayMetatable = arrayMetatable
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
        self.isInterrupted = isInterrupted
    }

    mutating func checkLimits() throws(LuaJSONEncodingFailure) {
        nextCheck = output.count + Self.checkInterval
        guard output.count <= maxBytes else {
            throw LuaJSONEncodingFailure(.outOfMemory, "text longer than the \(maxBytes) bytes left under the memory cap")
        }
        if isInterrupted?() == true {
            throw LuaJSONEncodingFailure(.interrupted, "interrupted")
        }
    }

    func release() {
        output.deallocate()
    }

    /// `depth` counts the tables enclosing the value.
    mutating func encodeValue(at index: Int32, depth: Int) throws(LuaJSONEncodingFailure) {
        if output.count >= nextCheck { try checkLimits() }
        switch lua_type(L, index) {
        case LUA_TSTRING:
            var length = 0
            let text = lua_tolstring(L, index, &length)!
            try writeString(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: length)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 {
                writeInteger(lua_tointegerx(L, index, nil))
            } else {
                try writeFloat(lua_tonumberx(L, index, nil))
            }
        case LUA_TTABLE:
            try encodeTable(at: index, depth: depth + 1)
        case LUA_TBOOLEAN:
            output.append(lua_toboolean(L, index) != 0 ? "true" : "false")
        case LUA_TNIL:
            output.append("null")
        case LUA_TLIGHTUSERDATA where lua_touserdata(L, index) == nil:
            output.append("null")
        case let type:
            throw LuaJSONEncodingFailure(.unencodable, "cannot encode \(Self.describe(type: type))")
        }
    }

    mutating func encodeTable(at table: Int32, depth: Int) throws(LuaJSONEncodingFailure) {
        guard depth <= maxDepth else {
            throw LuaJSONEncodingFailure(.tooDeep, "nesting deeper than \(maxDepth) (is there a cycle?)")
        }
        guard lua_checkstack(L, 4) != 0 else {
            throw LuaJSONEncodingFailure(.stackOverflow, "not enough Lua stack")
        }
        do {
            try LuaLazyJSON.materialize(L, at: table)
        } catch {
            throw LuaJSONEncodingFailure(.unencodable, "malformed JSON in a decoded-on-demand object: \(error.message)")
        }
        var marked = false
        if lua_getmetatable(L, table) != 0 {
            marked = lua_rawequal(L, -1, arrayMetatable) != 0
            lua_settop(L, -2)
        }
        if marked {
            try encodeArray(at: table, count: try markedArrayLength(at: table), depth: depth)
        } else if let count = sequenceLength(at: table) {
            try encodeArray(at: table, count: count, depth: depth)
        } else {
            try encodeObject(at: table, depth: depth)
        }
    }

    mutating func encodeArray(at table: Int32, count: Int64, depth: Int) throws(LuaJSONEncodingFailure) {
        output.append(UInt8(ascii: "["))
        var i: Int64 = 1
        while i <= count {
            if i > 1 { output.append(UInt8(ascii: ",")) }
            lua_rawgeti(L, table, i)
            do {
                try encodeValue(at: lua_gettop(L), depth: depth)
            } catch {
                var failure = error
                failure.path.append(.index(i))
                throw failure
            }
            lua_settop(L, -2)
            i += 1
        }
        output.append(UInt8(ascii: "]"))
    }

    mutating func encodeObject(at table: Int32, depth: Int) throws(LuaJSONEncodingFailure) {
        output.append(UInt8(ascii: "{"))
        var first = true
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            let value = lua_gettop(L)
            let key = value - 1
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            try writeKey(at: key)
            output.append(UInt8(ascii: ":"))
            do {
                try encodeValue(at: value, depth: depth)
            } catch {
                var failure = error
                failure.path.append(pathComponent(forKey: key))
                throw failure
            }
            lua_settop(L, -2)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// The n of a table whose keys are exactly 1...n (n ≥ 1), or nil. `lua_rawlen` gives a
    /// border; counting keys that are integers within it confirms there is nothing else. A table
    /// with no array items (`rawlen` 0, e.g. any object) costs nothing here.
    func sequenceLength(at table: Int32) -> Int64? {
        let border = lua_rawlen(L, table)
        guard border > 0, border <= UInt64(Int64.max) else { return nil }
        let n = Int64(border)
        var count: Int64 = 0
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            guard lua_isinteger(L, -2) != 0 else {
                lua_settop(L, -3)
                return nil
            }
            let key = lua_tointegerx(L, -2, nil)
            guard key >= 1 && key <= n else {
                lua_settop(L, -3)
                return nil
            }
            count += 1
            lua_settop(L, -2)
        }
        return count == n ? n : nil
    }

    /// Length of a table marked as a JSON array: its largest key, holes becoming `null`. Only
    /// positive integer keys are allowed, and holes may not outnumber the elements (so
    /// `a[1e9] = 1` cannot produce a gigabyte of nulls).
    func markedArrayLength(at table: Int32) throws(LuaJSONEncodingFailure) -> Int64 {
        var largest: Int64 = 0
        var count: Int64 = 0
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            guard lua_isinteger(L, -2) != 0, case let key = lua_tointegerx(L, -2, nil), key >= 1 else {
                throw LuaJSONEncodingFailure(
                    .unencodable, "cannot encode \(describeKey(at: lua_gettop(L) - 1)) in a json.array")
            }
            largest = max(largest, key)
            count += 1
            lua_settop(L, -2)
        }
        guard largest <= 2 * count + 16 else {
            throw LuaJSONEncodingFailure(
                .unencodable, "cannot encode a sparse json.array (\(count) elements, largest index \(largest))")
        }
        return largest
    }

    /// Object keys: strings as they are, numbers stringified, anything else refused.
    mutating func writeKey(at key: Int32) throws(LuaJSONEncodingFailure) {
        switch lua_type(L, key) {
        case LUA_TSTRING:
            var length = 0
            let text = lua_tolstring(L, key, &length)!
            try writeString(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: length, isKey: true)
        case LUA_TNUMBER:
            output.append(UInt8(ascii: "\""))
            if lua_isinteger(L, key) != 0 {
                writeInteger(lua_tointegerx(L, key, nil))
            } else {
                try writeFloat(lua_tonumberx(L, key, nil), isKey: true)
            }
            output.append(UInt8(ascii: "\""))
        case let type:
            throw LuaJSONEncodingFailure(.unencodable, "cannot encode \(Self.describe(type: type)) key")
        }
    }

    static func describe(type: Int32) -> String {
        switch type {
        case LUA_TFUNCTION: "a function"
        case LUA_TUSERDATA: "a userdata"
        case LUA_TLIGHTUSERDATA: "a light userdata"
        case LUA_TTHREAD: "a thread"
        case LUA_TBOOLEAN: "a boolean"
        case LUA_TTABLE: "a table"
        case LUA_TNIL: "nil"
        case LUA_TNUMBER: "a number"
        case LUA_TSTRING: "a string"
        default: "a value of unknown type"
        }
    }

    func describeKey(at key: Int32) -> String {
        switch pathComponent(forKey: key) {
        case .field(let name): "key \"\(name)\""
        case .index(let i): "key \(i)"
        case .number(let text): "key \(text)"
        case .other(let type): "\(Self.describe(type: type)) key"
        }
    }
}
