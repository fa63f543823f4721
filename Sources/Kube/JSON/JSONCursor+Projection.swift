import JSONBytes

extension JSONCursor {
    /// The byte ranges to remove from the value at the cursor so that only what `projection`
    /// keeps is left: each dropped member with one comma beside it, so what is left is JSON
    /// with every container whole or gone. Ascending and apart; the cursor ends past the value.
    mutating func cuts(by projection: JSONProjection) throws(JSONScanError) -> [Range<Int>] {
        var cuts: [Range<Int>] = []
        try collectCuts(reading: projection.root, of: projection, into: &cuts)
        return cuts
    }

    private mutating func collectCuts(
        reading member: JSONProjection.Member, of projection: JSONProjection, into cuts: inout [Range<Int>]
    ) throws(JSONScanError) {
        guard case .narrowed(let node) = member else {
            try skipValue()
            return
        }
        switch peek() {
        case UInt8(ascii: "{"):
            try collectMemberCuts(node: node, of: projection, into: &cuts)
        case UInt8(ascii: "["):
            // A path passes through arrays: every element is read through the same node.
            try forEachElement { (element) throws(JSONScanError) in try element.collectCuts(reading: member, of: projection, into: &cuts) }
        default:
            try skipValue()
        }
    }

    private mutating func collectMemberCuts(node: Int, of projection: JSONProjection, into cuts: inout [Range<Int>]) throws(JSONScanError) {
        let open = position
        try expect(UInt8(ascii: "{"))
        // Dropped members before the first kept one go with the comma after them; later ones
        // with the comma before them, from the end of what is left before them (`tail`).
        var leadingDropped: Int?
        var keptAny = false
        var tail = position
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            let memberStart = position
            let member = try readKey { projection.member(named: $0, of: node) }
            try expect(UInt8(ascii: ":"))
            if member == .dropped {
                let value = try skipValue()
                if keptAny {
                    cuts.append(tail..<value.upperBound)
                    tail = value.upperBound
                } else if leadingDropped == nil {
                    leadingDropped = open + 1
                }
            } else {
                if let start = leadingDropped {
                    cuts.append(start..<memberStart)
                    leadingDropped = nil
                }
                try collectCuts(reading: member, of: projection, into: &cuts)
                keptAny = true
                tail = position
            }
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                if let start = leadingDropped { cuts.append(start..<position) }
                position += 1
                return
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    /// Reads a member's key and hands its bytes (unescaped) to `body`, without making a string
    /// unless the key has escapes.
    private mutating func readKey<Result>(_ body: (UnsafeRawBufferPointer) -> Result) throws(JSONScanError) -> Result {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position - 1])
        guard raw.contains(UInt8(ascii: "\\")) else { return body(UnsafeRawBufferPointer(raw)) }
        return Array(Self.unescape(raw).utf8).withUnsafeBytes(body)
    }
}
