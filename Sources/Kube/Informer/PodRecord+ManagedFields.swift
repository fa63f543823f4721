import JSONBytes

extension PodRecord {
    /// The pod without `metadata.managedFields` (server-side apply's bookkeeping, often half of a
    /// pod's bytes and rarely read by hooks): the member is cut out of the JSON and the index.
    /// A pod without the field, or whose JSON cannot be walked, is returned as it is.
    public func withoutManagedFields() -> PodRecord {
        guard let cut = managedFieldsMember() else { return self }
        // A new block of exactly the remaining size, so the cache keeps only what is left.
        return PodRecord(key: key, uid: uid, resourceVersion: resourceVersion, phase: phase, json: json.removing(cut))
    }

    /// The bytes to remove: the member with one comma beside it.
    private func managedFieldsMember() -> Range<Int>? {
        json.withUnsafeBufferPointer { buffer -> Range<Int>? in
            var cursor = JSONCursor(buffer, index: index)
            var cut: Range<Int>?
            try? cursor.forEachMember { (key, value) throws(JSONScanError) in
                guard key == "metadata", value.peek() == UInt8(ascii: "{") else { return }
                let open = value.position
                var previousEnd: Int?
                try value.forEachMember { (field, member) throws(JSONScanError) in
                    let range = try member.skipValue()
                    if field == "managedFields", cut == nil {
                        if let previousEnd {
                            cut = previousEnd..<range.upperBound  // `, "managedFields": [...]`
                        } else if member.peek() == UInt8(ascii: ",") {
                            cut = (open + 1)..<(member.position + 1)  // `"managedFields": [...],`
                        } else {
                            cut = (open + 1)..<range.upperBound  // the only member
                        }
                    }
                    previousEnd = range.upperBound
                }
            }
            return cut
        }
    }
}
