import JSONBytes

extension PodRecord {
    /// `metadata.labels`, read from the JSON when asked (the informer does not need them, so
    /// events do not pay for them); empty when the pod has none or they cannot be read.
    public var labels: [String: String] {
        json.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, index: index)
            var labels: [String: String] = [:]
            try? cursor.forEachMember { (key, value) throws(JSONScanError) in
                guard key == "metadata" else { return }
                try value.forEachMember { (field, value) throws(JSONScanError) in
                    guard field == "labels", value.peek() == UInt8(ascii: "{") else { return }
                    try value.forEachMember { (name, value) throws(JSONScanError) in
                        if let text = try value.readOptionalString() { labels[name] = text }
                    }
                }
            }
            return labels
        }
    }
}
