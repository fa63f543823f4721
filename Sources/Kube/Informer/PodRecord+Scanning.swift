import JSONBytes

extension PodRecord {
    /// Reads a pod object (the bytes of exactly one JSON object), keeping what `projection` keeps.
    public static func scan(_ json: [UInt8], projection: JSONProjection = .everything) throws(JSONScanError) -> PodRecord {
        try scan(json[...], projection: projection)
    }

    /// Reads a pod object (the bytes of exactly one JSON object), keeping what `projection` keeps.
    public static func scan(_ json: ArraySlice<UInt8>, projection: JSONProjection = .everything) throws(JSONScanError) -> PodRecord {
        try json.withUnsafeBufferPointer { (buffer) throws(JSONScanError) -> PodRecord in
            var cursor = JSONCursor(buffer)
            return try scan(&cursor, range: 0..<buffer.count, projection: projection)
        }
    }

    /// Reads the pod object at the cursor, which spans `range` of the cursor's bytes; the
    /// record keeps a copy of what `projection` keeps of those bytes, with its part of the
    /// cursor's index (the one copy a pod's bytes get on their way from the framer to the cache).
    static func scan(_ cursor: inout JSONCursor, range: Range<Int>, projection: JSONProjection) throws(JSONScanError) -> PodRecord {
        let start = cursor.position
        var namespace = "", name: String?, uid = "", resourceVersion: String?, phase: String?
        try cursor.forEachMember { (key, value) throws(JSONScanError) in
            switch key {
            case "metadata":
                try value.forEachMember { (field, value) throws(JSONScanError) in
                    switch field {
                    case "name": name = try value.readString()
                    case "namespace": namespace = try value.readString()
                    case "uid": uid = try value.readString()
                    case "resourceVersion": resourceVersion = try value.readString()
                    default: break
                    }
                }
            case "status":
                guard value.peek() == UInt8(ascii: "{") else { return }
                try value.forEachMember { (field, value) throws(JSONScanError) in
                    if field == "phase" { phase = try value.readOptionalString() }
                }
            default: break
            }
        }
        guard let name, !name.isEmpty else { throw JSONScanError(message: "pod without metadata.name", offset: start) }
        var cuts: [Range<Int>] = []
        if !projection.keepsEverything {
            var walker = JSONCursor(cursor.bytes, at: range.lowerBound, index: cursor.index)
            cuts = try walker.cuts(by: projection)
        }
        // Some API emulators send neither resourceVersion nor uid: "" (see `PodRecord.isVersioned`).
        return PodRecord(
            key: PodKey(namespace: namespace, name: name), uid: uid, resourceVersion: resourceVersion ?? "", phase: phase,
            json: JSONText(copying: range, of: cursor.bytes, index: cursor.index, removing: cuts))
    }

    /// Reads the array of pod objects at the cursor (a list's `items`); `null` is empty.
    static func scanArray(_ cursor: inout JSONCursor, projection: JSONProjection = .everything) throws(JSONScanError) -> [PodRecord] {
        var pods: [PodRecord] = []
        guard cursor.peek() == UInt8(ascii: "[") else { return pods }
        let buffer = cursor.bytes, index = cursor.index
        try cursor.forEachElement { (element) throws(JSONScanError) in
            let start = element.position
            let range = try element.skipValue()
            var item = JSONCursor(buffer, at: start, index: index)
            pods.append(try scan(&item, range: range, projection: projection))
        }
        return pods
    }
}
