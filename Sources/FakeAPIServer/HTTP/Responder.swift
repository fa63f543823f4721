import NIOCore
import NIOHTTP1

/// Answers every request that is not a watch: discovery, pod list, get, create, update, patch
/// and delete, each as a complete `Reply`.
struct Responder {
    var store: PodStore
    /// host:port clients reach us on, for discovery documents.
    var serverAddress: String
    var omissions: MetadataOmissions = []

    func reply(_ route: Route, _ request: APIRequest) -> Reply {
        do {
            return try dispatch(route, request)
        } catch {
            return .error(error)
        }
    }

    private func dispatch(_ route: Route, _ request: APIRequest) throws(APIStatus) -> Reply {
        switch (route, request.method) {
        case (.version, _): return .json(object: Discovery.version)
        case (.apiVersions, _): return .json(object: Discovery.apiVersions(serverAddress: serverAddress))
        case (.apiV1Resources, _): return .json(object: Discovery.coreResources)
        case (.apiGroups, _): return .json(object: Discovery.groups)
        case (.health, _): return .text("ok")
        case (.collection(let namespace), .GET): return try list(namespace: namespace, request)
        case (.collection(let namespace?), .POST):
            let pod = try store.create(JSONText.decodeObject(request.body), namespace: namespace)
            return .json(.created, pod.json)
        case (.pod(let namespace, let name), .GET):
            guard let pod = store.get(PodKey(namespace: namespace, name: name)) else { throw .notFound(name) }
            return .json(.ok, pod.json)
        case (.pod(let namespace, let name), .PUT):
            return .json(.ok, try store.update(JSONText.decodeObject(request.body), namespace: namespace, name: name).json)
        case (.pod(let namespace, let name), .PATCH):
            return .json(.ok, try patch(namespace: namespace, name: name, request).json)
        case (.pod(let namespace, let name), .DELETE):
            let options = request.body.readableBytes > 0 ? try JSONText.decodeObject(request.body) : [:]
            let preconditions = options["preconditions"] as? [String: Any] ?? [:]
            let pod = try store.delete(namespace: namespace, name: name, uid: preconditions["uid"] as? String,
                                       resourceVersion: preconditions["resourceVersion"] as? String)
            return .json(.ok, pod.json)
        case (.notFound, _): throw .pathNotFound(request.path)
        default: throw .methodNotAllowed(request.method.rawValue)
        }
    }

    private func list(namespace: String?, _ request: APIRequest) throws(APIStatus) -> Reply {
        var query = PodStore.ListQuery()
        query.filter = try PodFilter(namespace: namespace, labelSelector: request.query("labelSelector"),
                                     fieldSelector: request.query("fieldSelector"))
        if let limit = request.query("limit"), !limit.isEmpty {
            guard let value = Int(limit), value >= 0 else { throw .badRequest("invalid limit: \(limit)") }
            query.limit = value
        }
        query.continueToken = request.query("continue")
        query.resourceVersion = request.query("resourceVersion")
        query.resourceVersionMatch = request.query("resourceVersionMatch")
        let page = try store.list(query)
        // kubectl asks for Table output first; a PodList is an accepted fallback it prints
        // (as NAME and AGE columns).
        return .json(.ok, PodListBody.make(page, omitting: omissions))
    }

    /// Merge patches only; strategic merge patches are applied as merge patches.
    private func patch(namespace: String, name: String, _ request: APIRequest) throws(APIStatus) -> PodRecord {
        switch request.contentType {
        case "application/merge-patch+json", "application/strategic-merge-patch+json":
            return try store.patch(namespace: namespace, name: name, mergePatch: JSONText.decodeObject(request.body))
        default:
            throw .unsupportedMediaType(request.contentType)
        }
    }
}
