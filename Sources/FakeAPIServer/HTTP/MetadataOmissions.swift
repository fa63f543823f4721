import NIOCore

/// Metadata some API emulators leave out of what they serve (kubelua must cope with them):
/// applied to list responses and watch events on the way out, never to the stored pods.
public struct MetadataOmissions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `metadata.resourceVersion` of each pod, in lists and watch events.
    public static let objectResourceVersion = MetadataOmissions(rawValue: 1)
    /// `metadata.uid` of each pod, in lists and watch events.
    public static let objectUID = MetadataOmissions(rawValue: 2)
    /// `metadata.resourceVersion` of the list itself.
    public static let listResourceVersion = MetadataOmissions(rawValue: 4)

    var touchesObjects: Bool { !isDisjoint(with: [.objectResourceVersion, .objectUID]) }

    /// A pod's JSON without the omitted fields (re-encoded; test volumes only).
    func stripping(object json: some Collection<UInt8>) -> [UInt8] {
        guard touchesObjects, var object = try? JSONCodec.decodeObject(json) else { return Array(json) }
        strip(&object)
        return JSONCodec.encode(object)
    }

    /// A watch event line without the omitted fields of its object.
    func stripping(line: ByteBuffer) -> ByteBuffer {
        guard touchesObjects, var event = try? JSONCodec.decodeObject(line), var object = event["object"] as? [String: Any] else {
            return line
        }
        strip(&object)
        event["object"] = object
        var stripped = ByteBufferAllocator().buffer(bytes: JSONCodec.encode(event))
        stripped.writeStaticString("\n")
        return stripped
    }

    private func strip(_ object: inout [String: Any]) {
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        if contains(.objectResourceVersion) { metadata["resourceVersion"] = nil }
        if contains(.objectUID) { metadata["uid"] = nil }
        object["metadata"] = metadata
    }
}
