import NIOCore

/// A `PodList` assembled from the stored pods' encoded bytes, without re-encoding them.
enum PodListBody {
    static func make(_ page: PodRegistry.ListPage, omitting omissions: MetadataOmissions = []) -> ByteBuffer {
        var fields: [String] = []
        if !omissions.contains(.listResourceVersion) { fields.append("\"resourceVersion\":\"\(page.resourceVersion)\"") }
        if let token = page.continueToken { fields.append("\"continue\":\"\(token.encoded)\"") }
        if let remaining = page.remainingItemCount { fields.append("\"remainingItemCount\":\(remaining)") }
        let metadata = fields.joined(separator: ",")
        let size = page.items.reduce(128) { $0 + $1.json.readableBytes + 1 }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeString("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\(metadata)},\"items\":[")
        for (index, pod) in page.items.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            if omissions.touchesObjects {
                buffer.writeBytes(omissions.stripping(object: pod.json.readableBytesView))
            } else {
                buffer.writeImmutableBuffer(pod.json)
            }
        }
        buffer.writeStaticString("]}")
        return buffer
    }
}
