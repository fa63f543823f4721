import NIOCore

/// The watch event types on the wire.
public enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}

/// One change in the store's history. The event line is encoded once, when the change happens,
/// and the same bytes go to every watcher (and back the stored pod, see `StoredPod.json`).
struct HistoryEvent: Sendable {
    var type: WatchEventType
    var resourceVersion: UInt64
    /// The pod after the change; for DELETED, the last state at the deletion's resource version.
    var pod: StoredPod
    /// The pod before the change (nil for ADDED): what snapshots roll back to, and what a
    /// selector watch uses to see a pod leave or enter its selection.
    var previous: StoredPod?
    /// `{"type":...,"object":...}\n`
    var line: ByteBuffer
    /// For selector watches, encoded on first need: ADDED for a pod that starts matching,
    /// DELETED (the previous object at this version) for one that stops matching.
    var enteredLine: ByteBuffer?
    var leftLine: ByteBuffer?
}

/// Builds event lines around already-encoded objects, without re-encoding them.
enum EventLine {
    static func make(_ type: String, object: some Collection<UInt8>, allocator: ByteBufferAllocator = .init()) -> (line: ByteBuffer, object: ByteBuffer) {
        let prefix = "{\"type\":\"\(type)\",\"object\":"
        var line = allocator.buffer(capacity: prefix.utf8.count + object.count + 2)
        line.writeString(prefix)
        let objectStart = line.writerIndex
        line.writeBytes(object)
        let objectBytes = line.getSlice(at: objectStart, length: object.count)!
        line.writeString("}\n")
        return (line, objectBytes)
    }

    static func make(_ type: WatchEventType, object: some Collection<UInt8>) -> (line: ByteBuffer, object: ByteBuffer) {
        make(type.rawValue, object: object)
    }

    /// A BOOKMARK: an empty pod carrying only the resource version, as the real server sends.
    static func bookmark(_ resourceVersion: UInt64) -> ByteBuffer {
        let object = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"\(resourceVersion)\",\"creationTimestamp\":null},\"spec\":{\"containers\":null},\"status\":{}}"
        return make(.bookmark, object: Array(object.utf8)).line
    }

    static func error(_ status: StatusError) -> ByteBuffer {
        make(.error, object: status.jsonBytes).line
    }
}
