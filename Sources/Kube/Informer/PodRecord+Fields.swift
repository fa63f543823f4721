import JSONBytes

extension PodRecord {
    /// The scalar at a dotted path (`spec.nodeName`) as field selectors compare it: a string as
    /// is, `true`/`false`, a number's text; nil when the path is absent, null or not a scalar.
    public func scalar(at path: [Substring]) -> String? {
        guard !path.isEmpty else { return nil }
        return json.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, index: index)
            var found: String?
            try? Self.read(path[...], from: &cursor, into: &found)
            return found
        }
    }

    private static func read(_ path: ArraySlice<Substring>, from cursor: inout JSONCursor, into found: inout String?) throws(JSONScanError) {
        guard cursor.peek() == UInt8(ascii: "{") else { return }
        try cursor.forEachMember { (key, value) throws(JSONScanError) in
            guard found == nil, key == path.first! else { return }
            if path.count > 1 { return try read(path.dropFirst(), from: &value, into: &found) }
            switch value.peek() {
            case UInt8(ascii: "\""): found = try value.readString()
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "n"): return
            default:
                let range = try value.skipValue()
                found = String(decoding: UnsafeBufferPointer(rebasing: value.bytes[range]), as: UTF8.self)
            }
        }
    }
}
