import JSONBytes

/// One page of a pod list response.
public struct PodListPage: Sendable, Equatable {
    public var items: [PodRecord]
    /// The list's resource version: the sync point for the watch that follows; "" when the
    /// server sent none (some API emulators).
    public var resourceVersion: String
    /// The token for the next page; nil on the last page.
    public var continueToken: String?

    public init(items: [PodRecord], resourceVersion: String, continueToken: String?) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }

    /// Parses a `PodList` body. The body is indexed first, as the framer indexes watch events,
    /// so that listed pods carry the same index as watched ones: hooks read them as cheaply,
    /// and a pod's next version needs a block of the very size its listed one frees (measured:
    /// without that, the heap grew through each pod's first update; BENCHMARKS.md, "Pod storage").
    /// Its pods keep what `projection` keeps.
    public static func parse(_ body: [UInt8], projection: JSONProjection = .everything) throws(JSONScanError) -> PodListPage {
        try body.withUnsafeBufferPointer { (buffer) throws(JSONScanError) -> PodListPage in try parse(buffer, projection: projection) }
    }

    /// Parses a `PodList` body held elsewhere (NIO's buffer); what `projection` keeps of each
    /// pod is copied out of it.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, projection: JSONProjection = .everything) throws(JSONScanError) -> PodListPage {
        let index = JSONContainerScanner.index(of: buffer, shortestIndexed: JSONContainerScanner.informerShortestIndexed)
        var cursor = JSONCursor(buffer, index: index ?? JSONContainerIndex())
        var page = PodListPage(items: [], resourceVersion: "", continueToken: nil)
        var sawMetadata = false, sawItems = false
        try cursor.forEachMember { (key, value) throws(JSONScanError) in
            switch key {
            case "metadata":
                sawMetadata = true
                try value.forEachMember { (field, value) throws(JSONScanError) in
                    switch field {
                    case "resourceVersion": page.resourceVersion = try value.readString()
                    case "continue": page.continueToken = try value.readOptionalString().flatMap { $0.isEmpty ? nil : $0 }
                    default: break
                    }
                }
            case "items":
                sawItems = true
                page.items = try PodRecord.scanArray(&value, projection: projection)
            default: break
            }
        }
        // Emulators may leave out the list's resource version, even its metadata; a body
        // with neither metadata nor items is no list at all.
        guard sawMetadata || sawItems else { throw JSONScanError(message: "not a pod list: neither metadata nor items", offset: 0) }
        return page
    }
}
