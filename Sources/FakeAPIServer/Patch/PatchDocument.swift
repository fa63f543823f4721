/// A PATCH body of one of the types the API server accepts, chosen by `Content-Type`:
/// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch. Apply patches
/// (`application/apply-patch+yaml`) are not supported (415).
enum PatchDocument {
    case merge([String: Any])
    case json([Any])
    case strategic([String: Any])

    init(contentType: String, body: some Collection<UInt8>) throws(StatusError) {
        switch contentType {
        case "application/merge-patch+json":
            self = .merge(try JSONCodec.decodeObject(body))
        case "application/strategic-merge-patch+json":
            self = .strategic(try JSONCodec.decodeObject(body))
        case "application/json-patch+json":
            let parsed: Any
            do {
                parsed = try JSONReader.parse(body)
            } catch {
                throw .badRequest("unable to decode JSON patch: \(error.message) at offset \(error.offset)")
            }
            guard let operations = parsed as? [Any] else {
                throw .badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
            }
            self = .json(operations)
        default:
            throw .unsupportedMediaType(contentType)
        }
    }

    /// The patched object. Failing JSON patch operations are 422, as the real server answers.
    func apply(to object: [String: Any]) throws(StatusError) -> [String: Any] {
        switch self {
        case .merge(let patch):
            return MergePatch.apply(patch, to: object) as? [String: Any] ?? [:]
        case .strategic(let patch):
            return StrategicMergePatch.apply(patch, to: object)
        case .json(let operations):
            return try JSONPatch.apply(operations, to: object)
        }
    }
}
