import NIOCore
import NIOHTTP1

/// Answers every request that is not a watch: discovery, pod list, get, create, update, patch,
/// delete and eviction, and the same for other resources (`Responder+Objects.swift`), each as
/// a complete `Reply`.
struct Responder {
    var core: ServerCore
    /// host:port clients reach us on, for discovery documents.
    var serverAddress: String
    var omissions: MetadataOmissions = []

    var store: PodRegistry { core.store }

    func reply(_ route: Route, _ request: APIRequest) -> Reply {
        do {
            return try dispatch(route, request)
        } catch {
            return .error(error)
        }
    }

    private func dispatch(_ route: Route, _ request: APIRequest) throws(StatusError) -> Reply {
        switch (route, request.method) {
        case (.version, _): return .json(object: Discovery.version)
        case (.apiVersions, _): return .json(object: Discovery.apiVersions(serverAddress: serverAddress))
        case (.groupResources(let group, let version), _):
            guard let list = Discovery.resources(group: group, version: version, catalog: core.catalog) else {
                throw .pathNotFound(request.path)
            }
            return .json(object: list)
        case (.apiGroups, _): return .json(object: Discovery.groups(core.catalog))
        case (.apiGroup(let name), _):
            guard let group = Discovery.group(name, catalog: core.catalog) else { throw .pathNotFound(request.path) }
            return .json(object: group)
        case (.health, _): return .text("ok")
        case (.collection(let namespace), .GET): return try list(namespace: namespace, request)
        case (.collection(let namespace?), .POST):
            let pod = try store.create(JSONCodec.decodeObject(request.body), namespace: namespace, dryRun: DryRun.requested(request))
            return .json(.created, pod.json)
        case (.pod(let namespace, let name), .GET):
            guard let pod = store.get(NamespacedName(namespace: namespace, name: name)) else { throw .notFound(name) }
            return .json(.ok, pod.json)
        case (.pod(let namespace, let name), .PUT):
            let pod = try store.update(JSONCodec.decodeObject(request.body), namespace: namespace, name: name,
                                       dryRun: DryRun.requested(request))
            return .json(.ok, pod.json)
        case (.pod(let namespace, let name), .PATCH):
            let document = try PatchDocument(contentType: request.contentType, body: request.body.readableBytesView)
            return .json(.ok, try store.patch(namespace: namespace, name: name, document, dryRun: DryRun.requested(request)).json)
        case (.pod(let namespace, let name), .DELETE): return try deletePod(namespace: namespace, name: name, request)
        case (.eviction(let namespace, let name), .POST): return try evict(namespace: namespace, name: name, request)
        case (.objects(let path), _): return try objects(path, request)
        case (.notFound, _): throw .pathNotFound(request.path)
        default: throw .methodNotAllowed(request.method.rawValue)
        }
    }

    private func list(namespace: String?, _ request: APIRequest) throws(StatusError) -> Reply {
        var query = PodRegistry.ListQuery()
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

    private func deletePod(namespace: String, name: String, _ request: APIRequest) throws(StatusError) -> Reply {
        let path = ResourcePath(namespace: namespace, resource: "pods", name: name)
        let options = try DeleteOptions(request)
        do {
            let pod = try store.delete(namespace: namespace, name: name, uid: options.preconditions.uid,
                                       resourceVersion: options.preconditions.resourceVersion, dryRun: options.dryRun)
            core.deletions.record(path, options, code: 200)
            return .json(.ok, pod.json)
        } catch {
            core.deletions.record(path, options, code: error.code)
            throw error
        }
    }

    /// 201 with a Success Status, as the real Eviction API answers.
    private func evict(namespace: String, name: String, _ request: APIRequest) throws(StatusError) -> Reply {
        let path = ResourcePath(namespace: namespace, resource: "pods", name: name, subresource: "eviction")
        let body = try JSONCodec.decodeObject(request.body)
        let options = try Eviction.options(body, dryRun: DryRun.requested(request))
        do {
            try Eviction(pods: store, objects: core.objects).evict(namespace: namespace, name: name, body: body, options: options)
            core.deletions.record(path, options, code: 201)
        } catch {
            core.deletions.record(path, options, code: error.code)
            throw error
        }
        return .json(.created, object: ["kind": "Status", "apiVersion": "v1", "metadata": [String: Any](),
                                        "status": "Success", "code": 201])
    }
}
