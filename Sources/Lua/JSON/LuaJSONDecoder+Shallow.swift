import CLua
import JSONBytes

extension LuaJSONDecoder {
    /// Decodes one level: the members of the object or array whose bracket is at `pos` go into
    /// the existing table at `table`; a nested object or array is not decoded but stepped over,
    /// and `deferred` pushes what stands for it (it gets the container's byte range). Containers
    /// are stepped over by `index` when it has them, else by the shared scanner (which checks the
    /// strings it passes over, under the policy `parseString` applies).
    mutating func decodeShallow(
        into table: Int32, index: UnsafeBufferPointer<UInt32>, deferred: (Range<Int>) -> Void
    ) throws(LuaJSONError) {
        guard lua_checkstack(L, 8) != 0 else { throw stackExhausted() }
        let isObject = bytes[pos] == UInt8(ascii: "{")
        let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        pos += 1
        skipWhitespace()
        if pos < end && bytes[pos] == closer { return }
        var element: lua_Integer = 1
        while true {
            if isObject {
                try parseKey()
                skipWhitespace()
            }
            try decodeShallowValue(index: index, deferred: deferred)
            if isObject {
                lua_rawset(L, table)
            } else {
                lua_rawseti(L, table, element)
                element += 1
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
            let after: Int
            if let indexed = JSONContainerIndex.end(ofContainerAt: pos, in: index), indexed > pos, indexed <= end {
                after = indexed
            } else {
                do {
                    after = try JSONContainerScanner.end(ofContainerAt: pos, in: bytes, end: end)
                } catch {
                    throw stringError(error, stringOpenedAt: nil)
                }
            }
            deferred(pos..<after)
            pos = after
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            try parseLiteral()
        default:
            throw unexpectedCharacter()
        }
    }
}
