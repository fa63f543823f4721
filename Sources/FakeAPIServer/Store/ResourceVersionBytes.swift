import NIOCore

/// Byte-level comparison of two encodings of a pod that may differ only in
/// `metadata.resourceVersion`: how an update that changes nothing is recognised without
/// decoding the stored pod. Keys are sorted on encoding, so equal objects give equal bytes.
enum ResourceVersionBytes {
    static func sameIgnoringResourceVersion(_ old: ByteBuffer, _ oldVersion: UInt64, _ new: [UInt8], _ newVersion: UInt64) -> Bool {
        let oldMarker = Array("\"resourceVersion\":\"\(oldVersion)\"".utf8)
        let newMarker = Array("\"resourceVersion\":\"\(newVersion)\"".utf8)
        guard old.readableBytes - oldMarker.count == new.count - newMarker.count else { return false }
        return old.withUnsafeReadableBytes { oldBytes in
            new.withUnsafeBytes { newBytes in
                guard let at = firstRange(of: oldMarker, in: oldBytes), at == firstRange(of: newMarker, in: newBytes) else {
                    return false
                }
                // Same prefix, same marker position, same tail: the objects are equal but for
                // the version. (A matching marker elsewhere would leave the real versions in
                // the tails, which differ, so this never calls different objects equal.)
                return oldBytes[..<at].elementsEqual(newBytes[..<at])
                    && oldBytes[(at + oldMarker.count)...].elementsEqual(newBytes[(at + newMarker.count)...])
            }
        }
    }

    private static func firstRange(of marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= marker.count, let first = marker.first else { return nil }
        var index = 0
        while index <= bytes.count - marker.count {
            if bytes[index] == first, bytes[index..<(index + marker.count)].elementsEqual(marker) { return index }
            index += 1
        }
        return nil
    }
}
