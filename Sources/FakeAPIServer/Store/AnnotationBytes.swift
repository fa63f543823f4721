/// In-place edits of an annotation's value in an encoded pod, for `touch(rewriting:)`: the
/// value is found by scanning `metadata.annotations` (the first `"annotations":{` of the
/// sorted encoding).
enum AnnotationBytes {
    static func overwrite(_ key: String, in bytes: inout [UInt8], with value: [UInt8], pod: String) throws(StatusError) {
        guard let range = valueRange(of: key, in: bytes) else {
            throw .badRequest("pod \(pod) has no annotation \(key) to rewrite")
        }
        guard value.count == range.count, !value.contains(UInt8(ascii: "\"")), !value.contains(UInt8(ascii: "\\")) else {
            throw .badRequest("annotation \(key) of pod \(pod): the new value must be \(range.count) bytes without quotes or escapes")
        }
        bytes.replaceSubrange(range, with: value)
    }

    /// Where the value of annotation `key` lies, between its quotes. The object and the string
    /// are stepped over by the server's own `JSONReader`.
    static func valueRange(of key: String, in bytes: [UInt8]) -> Range<Int>? {
        let opening = Array("\"annotations\":{".utf8)
        let marker = Array("\"\(key)\":\"".utf8)
        return bytes.withUnsafeBytes { raw -> Range<Int>? in
            guard let found = ResourceVersionBytes.firstRange(of: opening, in: raw) else { return nil }
            let object = found + opening.count - 1
            guard let end = try? JSONReader.end(ofValueAt: object, in: bytes),
                  let at = ResourceVersionBytes.firstRange(of: marker, in: UnsafeRawBufferPointer(rebasing: raw[object..<end])),
                  let close = try? JSONReader.end(ofValueAt: object + at + marker.count - 1, in: bytes)
            else { return nil }
            return (object + at + marker.count)..<(close - 1)
        }
    }
}
