/// Pod events recorded for offline use (`kubelua replay`), in any of the forms people have at
/// hand: the watch stream's NDJSON, the indented objects `kubectl get pods -w -o json
/// --output-watch-events` prints, a `kubectl get pods -o json` list, or a single pod.
public enum PodRecording {
    public enum Entry: Sendable, Equatable {
        /// A list: its pods existed before the recording's events.
        case list([PodRecord])
        case event(WatchEvent)
    }

    /// Reads every entry of a recording, in order. Errors give the line and column in `bytes`.
    public static func parse(_ bytes: [UInt8]) throws(PodRecordingError) -> [Entry] {
        var framer = JSONObjectFramer()
        let objects: [JSONFrame]
        do {
            objects = try framer.append(bytes)
        } catch {
            let yaml = looksLikeYAML(bytes[error.offset...])
            throw PodRecordingError(
                in: bytes, offset: error.offset, entry: nil,
                message: yaml ? "not JSON: this looks like YAML, which replay does not read (record with -o json)" : "not JSON: \(error.message)")
        }
        if framer.hasPartialObject {
            let end = objects.last.map { $0.offset + $0.bytes.count } ?? 0
            let start = bytes[end...].firstIndex { !(0x09...0x0D).contains($0) && $0 != 0x20 } ?? end
            throw PodRecordingError(in: bytes, offset: start, entry: objects.count + 1, message: "this object is incomplete (the file ends inside it)")
        }
        var entries: [Entry] = []
        for (index, object) in objects.enumerated() {
            do {
                entries.append(try entry(object))
            } catch {
                throw PodRecordingError(in: bytes, offset: object.offset + error.offset, entry: index + 1, message: error.message)
            }
        }
        return entries
    }

    private static func entry(_ frame: JSONFrame) throws(JSONScanError) -> Entry {
        let object = frame.bytes
        let shape = try object.withUnsafeBufferPointer { (buffer) throws(JSONScanError) -> RecordedObject in
            var cursor = JSONCursor(buffer, index: frame.index)
            return try RecordedObject.scan(&cursor)
        }
        if let type = shape.eventType {
            if ["ADDED", "MODIFIED", "DELETED"].contains(type), let inner = shape.eventObject.first { try inner.requirePod(what: "the event's object") }
            return .event(try WatchEvent.parse(frame))
        }
        guard let items = shape.items else {
            try shape.requirePod(what: "this object")
            return .event(.added(try PodRecord.scan(object)))
        }
        if let kind = shape.kind, kind.hasSuffix("List"), kind != "List", kind != "PodList" {
            throw JSONScanError(message: "a \(kind), not a list of pods: replay reads pods only", offset: 0)
        }
        return .list(try object.withUnsafeBufferPointer { (buffer) throws(JSONScanError) -> [PodRecord] in
            var cursor = JSONCursor(buffer, at: items.lowerBound, index: frame.index)
            var ordinal = 0
            if cursor.peek() == UInt8(ascii: "[") {
                try cursor.forEachElement { (element) throws(JSONScanError) in
                    ordinal += 1
                    try RecordedObject.scan(&element).requirePod(what: "item \(ordinal) of the list")
                }
            }
            cursor = JSONCursor(buffer, at: items.lowerBound, index: frame.index)
            return try PodRecord.scanArray(&cursor)
        })
    }

    /// YAML rather than JSON: a document marker, a `key:` line or a `- ` item where an object
    /// should start.
    private static func looksLikeYAML(_ bytes: ArraySlice<UInt8>) -> Bool {
        let firstLine = String(decoding: bytes.prefix(200).prefix { $0 != 0x0A }, as: UTF8.self)
        return firstLine.hasPrefix("---") || firstLine.hasPrefix("- ") || firstLine.firstMatch(of: /^[A-Za-z_][A-Za-z0-9_.-]*:(\s|$)/) != nil
    }
}

/// What kind of object a recording holds, read before parsing it as a pod, a list or an event.
private struct RecordedObject {
    var kind: String?
    var name = ""
    var namespace = ""
    /// Where the object starts, relative to the frame.
    var offset = 0
    var eventType: String?
    var items: Range<Int>?
    /// For an event: its object (an array only to hold a value of this same type).
    var eventObject: [RecordedObject] = []

    static func scan(_ cursor: inout JSONCursor) throws(JSONScanError) -> RecordedObject {
        cursor.skipWhitespace()
        var shape = RecordedObject(offset: cursor.position)
        guard cursor.peek() == UInt8(ascii: "{") else { return shape }
        try cursor.forEachMember { (key, value) throws(JSONScanError) in
            switch key {
            case "kind": shape.kind = try value.readOptionalString()
            case "type": shape.eventType = try value.readOptionalString()
            case "items": shape.items = try value.skipValue()
            case "object": shape.eventObject = [try scan(&value)]
            case "metadata":
                guard value.peek() == UInt8(ascii: "{") else { return }
                try value.forEachMember { (field, value) throws(JSONScanError) in
                    if field == "name" { shape.name = try value.readOptionalString() ?? "" }
                    if field == "namespace" { shape.namespace = try value.readOptionalString() ?? "" }
                }
            default: break
            }
        }
        return shape
    }

    /// Objects without a kind pass: the API server leaves it out of a list's items.
    func requirePod(what: String) throws(JSONScanError) {
        guard let kind, kind != "Pod" else { return }
        let named = name.isEmpty ? "" : " (\(namespace.isEmpty ? name : namespace + "/" + name))"
        throw JSONScanError(message: "\(what) is a \(kind)\(named), not a Pod: replay reads pods only", offset: offset)
    }
}

public struct PodRecordingError: Error, Sendable, CustomStringConvertible {
    /// Where the problem is: 1-based line and column (in bytes) of the recording.
    public let line: Int
    public let column: Int
    /// The 1-based ordinal of the object that failed, when one did.
    public let entry: Int?
    public let message: String

    init(in bytes: [UInt8], offset: Int, entry: Int?, message: String) {
        let before = bytes[..<min(offset, bytes.count)]
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        line = before.count { $0 == 0x0A } + 1
        column = before.count - lineStart + 1
        self.entry = entry
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
