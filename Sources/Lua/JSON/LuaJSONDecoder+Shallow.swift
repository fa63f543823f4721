import CLua
import JSONBytes

extension LuaJSONDecoder {
    /// Decodes one level: the members of the object or array whose bracket is at `pos` go into
    /// the existing table at `table`; a nested object or array is not decoded but stepped over,
    /// and `deferred` pushes what stands for it (it gets the container's byte range, and the
    /// node of `view` it is read through, nil when whole). Read through `node` of `view`, an
    /// object's members that the view drops are stepped over and left out, and an array's
    /// elements are read through the same node. Containers are stepped over by `index` when it
    /// has them, else by the shared scanner (which checks the strings it passes over, under the
    /// policy `parseString` applies).
    mutating func decodeShallow(
        into table: Int32, index: UnsafeBufferPointer<UInt32>, view: JSONProjection? = nil, node: Int? = nil,
        deferred: (Range<Int>, Int?) -> Void
    ) throws(LuaJSONError) {
        guard lua_checkstack(L, 8) != 0 else { throw stackExhausted() }
        let isObject = bytes[pos] == UInt8(ascii: "{")
        let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        pos += 1
        skipWhitespace()
        if pos < end && bytes[pos] == closer { return }
        var element: lua_Integer = 1
        while true {
            var member = JSONProjection.Member.kept
            if isObject {
                try parseKey()
                skipWhitespace()
                if let view, let node { member = view.member(named: keyOnTop(), of: node) }
            } else if let node {
                member = .narrowed(node)
            }
            if member == .dropped {
                lua_settop(L, -2)
                try skipShallowValue(index: index)
            } else {
                let child: Int? = if case .narrowed(let number) = member { number } else { nil }
                try decodeShallowValue(index: index) { deferred($0, child) }
                if isObject {
                    lua_rawset(L, table)
                } else {
                    lua_rawseti(L, table, element)
                    element += 1
                }
            }
            skipWhitespace()
            guard pos < end else { throw unexpectedEnd() }
            let c = bytes[pos]
            if c == closer { return }
            guard c == UInt8(ascii: ",") else { throw unexpectedCharacter() }
            pos += 1
            skipWhitespace()
        }
    }

    /// The bytes of the key `parseKey` left on top of the stack.
    private func keyOnTop() -> UnsafeRawBufferPointer {
        var length = 0
        let base = lua_tolstring(L, -1, &length)
        return UnsafeRawBufferPointer(start: base, count: length)
    }

    /// Steps over the value at `pos` as `decodeShallowValue` would read it, leaving nothing.
    private mutating func skipShallowValue(index: UnsafeBufferPointer<UInt32>) throws(LuaJSONError) {
        guard pos < end else { throw unexpectedEnd() }
        switch bytes[pos] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            pos = try containerEnd(index: index)
        default:
            try decodeShallowValue(index: index) { _ in }
            lua_settop(L, -2)
        }
    }

    /// Pushes the scalar at `pos`, or what `deferred` pushes for a container.
    private mutating func decodeShallowValue(
        index: UnsafeBufferPointer<UInt32>, deferred: (Range<Int>) -> Void
    ) throws(LuaJSONError) {
        guard pos < end else { throw unexpectedEnd() }
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            try parseString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try parseNumber()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let after = try containerEnd(index: index)
            deferred(pos..<after)
            pos = after
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            try parseLiteral()
        default:
            throw unexpectedCharacter()
        }
    }

    /// Just past the container at `pos`: by `index` when it has it, else by the shared scanner.
    private func containerEnd(index: UnsafeBufferPointer<UInt32>) throws(LuaJSONError) -> Int {
        if let indexed = JSONContainerIndex.end(ofContainerAt: pos, in: index), indexed > pos, indexed <= end { return indexed }
        do {
            return try JSONContainerScanner.end(ofContainerAt: pos, in: bytes, end: end)
        } catch {
            throw stringError(error, stringOpenedAt: nil)
        }
    }
}
