/// In-place edits of an annotation's value in an encoded pod, for `touch(rewriting:)`: the
/// value is found by scanning `metadata.annotations` (the first `"annotations":{` of the
/// sorted encoding; annotation values are strings, so its end is the first `}` outside one).
enum AnnotationBytes {
    static func overwrite(_ key: String, in bytes: inout [UInt8], with value: [UInt8], pod: String) throws(APIStatus) {
        guard let range = valueRange(of: key, in: bytes) else {
            throw .badRequest("pod \(pod) has no annotation \(key) to rewrite")
        }
        guard value.count == range.count, !value.contains(UInt8(ascii: "\"")), !value.contains(UInt8(ascii: "\\")) else {
            throw .badRequest("annotation \(key) of pod \(pod): the new value must be \(range.count) bytes without quotes or escapes")
        }
        bytes.replaceSubrange(range, with: value)
    }

    /// Where the value of annotation `key` lies, between its quotes.
    static func valueRange(of key: String, in bytes: [UInt8]) -> Range<Int>? {
        let opening = Array("\"annotations\":{".utf8)
        let marker = Array("\"\(key)\":\"".utf8)
        return bytes.withUnsafeBytes { raw -> Range<Int>? in
            guard let start = ResourceVersionBytes.firstRange(of: opening, in: raw).map({ $0 + opening.count }) else { return nil }
            let end = objectEnd(in: bytes, from: start)
            guard let at = ResourceVersionBytes.firstRange(of: marker, in: UnsafeRawBufferPointer(rebasing: raw[start..<end])) else {
                return nil
            }
            let valueStart = start + at + marker.count
            var index = valueStart
            while index < end, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            return index < end ? valueStart..<index : nil
        }
    }

    /// The index of the `}` closing the object whose members start at `start`.
    private static func objectEnd(in bytes: [UInt8], from start: Int) -> Int {
        var inString = false, escaped = false
        for index in start..<bytes.count {
            let byte = bytes[index]
            if escaped {
                escaped = false
            } else if inString {
                if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "}") {
                return index
            }
        }
        return bytes.count
    }
}
