import CLua

extension LuaJSONDecoder {
    /// Opens an array or object at `pos` (its bracket).
    mutating func open(isObject: Bool) throws(LuaJSONError) {
        guard depth < maxDepth else { throw tooDeep() }
        guard lua_checkstack(L, Self.stackReserve) != 0 else { throw stackExhausted() }
        if depth == frameCapacity { growFrames() }
        frames[depth] = Frame(base: lua_gettop(L) + 1, pending: 0, inserted: 0, isObject: isObject, made: false)
        depth += 1
        pos += 1
    }

    /// Closes the innermost container, leaving its finished table in the container's slot.
    mutating func close() throws(LuaJSONError) {
        depth -= 1
        let frame = frames + depth
        flush(frame)
        if !frame.pointee.isObject {
            lua_pushvalue(L, metatable)
            lua_setmetatable(L, frame.pointee.base)
        }
        try checkMemory()
    }

    /// Moves the container's pending slots into its table, creating the table (sized for them)
    /// if it does not exist yet. Afterwards the table is the top of the stack.
    mutating func flush(_ frame: UnsafeMutablePointer<Frame>) {
        let base = frame.pointee.base
        let pending = frame.pointee.pending
        if frame.pointee.isObject {
            let pairs = pending / 2
            // The table is built above the pairs and copied down, so the pairs can be inserted in
            // document order: with duplicate keys, the last one wins.
            let table: Int32
            let first: Int32
            if frame.pointee.made {
                table = base
                first = base + 1
            } else {
                lua_createtable(L, 0, pairs)
                table = base + pending
                first = base
            }
            var slot = first
            for _ in 0..<pairs {
                lua_pushvalue(L, slot)
                lua_pushvalue(L, slot + 1)
                lua_rawset(L, table)
                slot += 2
            }
            if !frame.pointee.made { lua_copy(L, table, base) }
            lua_settop(L, base)
        } else {
            // Elements are popped off the top, last first, straight into the presized array part.
            if !frame.pointee.made {
                lua_createtable(L, pending, 0)
                lua_rotate(L, base, 1)
            }
            var index = frame.pointee.inserted + Int64(pending)
            while index > frame.pointee.inserted {
                lua_rawseti(L, base, index)
                index -= 1
            }
            frame.pointee.inserted += Int64(pending)
        }
        frame.pointee.made = true
        frame.pointee.pending = 0
    }

    @inline(never)
    mutating func growFrames() {
        let newCapacity = min(frameCapacity * 4, maxDepth)
        let newFrames = UnsafeMutablePointer<Frame>.allocate(capacity: newCapacity)
        newFrames.moveInitialize(from: frames, count: depth)
        if framesOnHeap { frames.deallocate() }
        frames = newFrames
        frameCapacity = newCapacity
        framesOnHeap = true
    }
}
