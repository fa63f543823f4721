import JSONBytes

extension WatchEvent {
    /// Parses one `{"type": ..., "object": {...}}` frame; its pod keeps what `projection` keeps.
    /// An unknown type or a malformed frame is an error (the reflector backs off and relists).
    public static func parse(_ frame: JSONFrame, projection: JSONProjection = .everything) throws(JSONScanError) -> WatchEvent {
        try parse(frame.bytes, index: frame.index, projection: projection)
    }

    /// Parses a frame's bytes; `index`, when given, must index exactly these bytes.
    public static func parse(
        _ frame: [UInt8], index: JSONContainerIndex = JSONContainerIndex(), projection: JSONProjection = .everything
    ) throws(JSONScanError) -> WatchEvent {
        try parse(frame[...], index: index, projection: projection)
    }

    /// Parses a frame's bytes; `index`, when given, must index exactly these bytes.
    public static func parse(
        _ frame: ArraySlice<UInt8>, index: JSONContainerIndex = JSONContainerIndex(), projection: JSONProjection = .everything
    ) throws(JSONScanError) -> WatchEvent {
        try frame.withUnsafeBufferPointer { (buffer) throws(JSONScanError) -> WatchEvent in
            var cursor = JSONCursor(buffer, index: index)
            var type: String?
            var objectRange: Range<Int>?
            try cursor.forEachMember { (key, value) throws(JSONScanError) in
                switch key {
                case "type": type = try value.readString()
                case "object": objectRange = try value.skipValue()
                default: break
                }
            }
            guard let type else { throw JSONScanError(message: "watch event without a type", offset: 0) }
            guard let objectRange else { throw JSONScanError(message: "\(type) event without an object", offset: 0) }
            var object = JSONCursor(buffer, at: objectRange.lowerBound, index: index)
            switch type {
            case "ADDED", "MODIFIED", "DELETED":
                let pod = try PodRecord.scan(&object, range: objectRange, projection: projection)
                return type == "ADDED" ? .added(pod) : type == "MODIFIED" ? .modified(pod) : .deleted(pod)
            case "BOOKMARK":
                var resourceVersion: String?
                try object.forEachMember { (key, value) throws(JSONScanError) in
                    guard key == "metadata" else { return }
                    try value.forEachMember { (field, value) throws(JSONScanError) in
                        if field == "resourceVersion" { resourceVersion = try value.readString() }
                    }
                }
                guard let resourceVersion else { throw JSONScanError(message: "BOOKMARK without a resourceVersion", offset: 0) }
                return .bookmark(resourceVersion: resourceVersion)
            case "ERROR":
                return .error(try APIStatus.scan(&object))
            default:
                throw JSONScanError(message: "unknown watch event type \"\(type)\"", offset: 0)
            }
        }
    }
}

extension APIStatus {
    /// Reads a Status object at the cursor.
    static func scan(_ cursor: inout JSONCursor) throws(JSONScanError) -> APIStatus {
        var status = APIStatus(code: 0)
        try cursor.forEachMember { (key, value) throws(JSONScanError) in
            switch key {
            case "code": status.code = try value.readInteger() ?? 0
            case "reason": status.reason = try value.readOptionalString() ?? ""
            case "message": status.message = try value.readOptionalString() ?? ""
            case "details":
                guard value.peek() == UInt8(ascii: "{") else { return }
                try value.forEachMember { (field, value) throws(JSONScanError) in
                    if field == "retryAfterSeconds" { status.retryAfterSeconds = try value.readInteger() }
                }
            default: break
            }
        }
        return status
    }

    /// Reads a Status response body; nil when the body is not a Status.
    public static func parse(_ body: [UInt8]) -> APIStatus? {
        body.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            return try? scan(&cursor)
        }
    }
}
