/// Pod events recorded for offline use (`kubelua replay`), in any of the forms people have at
/// hand: the watch stream's NDJSON, the indented objects `kubectl get pods -w -o json
/// --output-watch-events` prints, a `kubectl get pods -o json` list, or a single pod.
public enum PodRecording {
    public enum Entry: Sendable, Equatable {
        /// A list: its pods existed before the recording's events.
        case list([PodRecord])
        case event(WatchEvent)
    }

    /// Reads every entry of a recording, in order. Errors name the entry's ordinal.
    public static func parse(_ bytes: [UInt8]) throws(PodRecordingError) -> [Entry] {
        var framer = JSONObjectFramer()
        let objects: [JSONFrame]
        do {
            objects = try framer.append(bytes)
        } catch {
            throw PodRecordingError(entry: nil, message: error.message)
        }
        if framer.hasPartialObject { throw PodRecordingError(entry: nil, message: "the last object is incomplete") }
        var entries: [Entry] = []
        for (index, object) in objects.enumerated() {
            do {
                entries.append(try entry(object))
            } catch {
                throw PodRecordingError(entry: index + 1, message: error.description)
            }
        }
        return entries
    }

    private static func entry(_ frame: JSONFrame) throws(JSONScanError) -> Entry {
        let object = frame.bytes
        let shape = try object.withUnsafeBufferPointer { (buffer) throws(JSONScanError) -> (Bool, Range<Int>?) in
            var cursor = JSONCursor(buffer, index: frame.index)
            var isEvent = false
            var items: Range<Int>?
            try cursor.forEachMember { (key, value) throws(JSONScanError) in
                if key == "type" { isEvent = true }
                if key == "items" { items = try value.skipValue() }
            }
            return (isEvent, items)
        }
        if shape.0 { return .event(try WatchEvent.parse(frame)) }
        guard let items = shape.1 else { return .event(.added(try PodRecord.scan(object))) }
        return .list(try object.withUnsafeBufferPointer { (buffer) throws(JSONScanError) -> [PodRecord] in
            var cursor = JSONCursor(buffer, at: items.lowerBound, index: frame.index)
            return try PodRecord.scanArray(&cursor)
        })
    }
}

public struct PodRecordingError: Error, Sendable, CustomStringConvertible {
    /// The 1-based ordinal of the object that failed, when one did.
    public let entry: Int?
    public let message: String

    public var description: String { entry.map { "object \($0): \(message)" } ?? message }
}
