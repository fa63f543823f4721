import Foundation
import NIOCore

/// JSON in and out of the server (see `JSONReader` and `JSONWriter` for why not Foundation).
/// Keys are sorted on output so that equal objects encode to equal bytes, which is how a
/// no-op update is recognised.
enum JSONCodec {
    static func encode(_ object: Any) -> [UInt8] {
        JSONWriter.encode(object)
    }

    static func data(_ object: Any) -> Data {
        Data(JSONWriter.encode(object))
    }

    static func decodeObject(_ bytes: some Collection<UInt8>) throws(StatusError) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONReader.parse(bytes)
        } catch {
            throw .badRequest("unable to decode JSON body: \(error.message) at offset \(error.offset)")
        }
        guard let object = parsed as? [String: Any] else {
            throw .badRequest("the request body is not a JSON object")
        }
        return object
    }

    static func decodeObject(_ buffer: ByteBuffer) throws(StatusError) -> [String: Any] {
        try decodeObject(buffer.readableBytesView)
    }

    /// RFC 3339 at second precision, as `metav1.Time` is written.
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601)
    }
}
