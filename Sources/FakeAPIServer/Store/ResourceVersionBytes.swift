import Foundation
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

    /// The encoded pod with its `metadata.resourceVersion` value replaced, without decoding
    /// it (the sorted encoding puts no other "resourceVersion" string key before metadata's,
    /// short of an annotation with that very name and value).
    static func replacing(_ old: ByteBuffer, _ oldVersion: UInt64, with newVersion: UInt64) -> [UInt8]? {
        let oldMarker = Array("\"resourceVersion\":\"\(oldVersion)\"".utf8)
        let newMarker = Array("\"resourceVersion\":\"\(newVersion)\"".utf8)
        return old.withUnsafeReadableBytes { bytes -> [UInt8]? in
            guard let at = firstRange(of: oldMarker, in: bytes) else { return nil }
            var result = [UInt8]()
            result.reserveCapacity(bytes.count + newMarker.count - oldMarker.count)
            result += bytes[..<at]
            result += newMarker
            result += bytes[(at + oldMarker.count)...]
            return result
        }
    }

    /// memchr for the first byte, memcmp for the rest: fast even in debug builds.
    static func firstRange(of marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count >= marker.count else { return nil }
        return marker.withUnsafeBytes { needle -> Int? in
            var offset = 0
            let last = bytes.count - needle.count
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(marker[0]), last - offset + 1) else { return nil }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at }
                offset = at + 1
            }
            return nil
        }
    }
}
