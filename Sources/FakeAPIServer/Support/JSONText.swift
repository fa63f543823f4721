import Foundation
import NIOCore

/// JSON in and out of the server, on Foundation's `JSONSerialization`. Keys are sorted so that
/// equal objects encode to equal bytes, which is how a no-op update is recognised.
enum JSONText {
    static func encode(_ object: Any) -> [UInt8] {
        Array(data(object))
    }

    static func data(_ object: Any) -> Data {
        // Objects reaching here come from decoded JSON or from our own literals.
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data("null".utf8)
    }

    static func decodeObject(_ bytes: some Collection<UInt8>) throws(APIStatus) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw .badRequest("unable to decode JSON body: \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else {
            throw .badRequest("the request body is not a JSON object")
        }
        return object
    }

    static func decodeObject(_ buffer: ByteBuffer) throws(APIStatus) -> [String: Any] {
        try decodeObject(buffer.readableBytesView)
    }

    /// RFC 3339 at second precision, as `metav1.Time` is written.
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601)
    }
}
