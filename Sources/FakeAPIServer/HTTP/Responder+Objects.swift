/// Requests for resource types other than pods, served by the generic object store:
/// list, get, create, update, patch and delete (with dependents' propagation), plus each
/// type's `status` subresource served as the object itself. Verbs a type does not list in
/// discovery are 405.
extension Responder {
    func objects(_ path: ResourcePath, _ request: APIRequest) throws(StatusError) -> Reply {
        let type = try servedType(path, request)
        let store = core.objects
        let namespace = type.namespaced ? path.namespace : ""
        switch (path.name.isEmpty, request.method) {
        case (true, .GET):
            return .json(object: try list(type, namespace: path.namespace.isEmpty ? nil : namespace, request))
        case (true, .POST):
            let object = try store.create(type, namespace: namespace, JSONCodec.decodeObject(request.body),
                                          dryRun: DryRun.requested(request))
            return .json(.created, object: object)
        case (false, .GET):
            return .json(object: try store.get(type, namespace: namespace, name: path.name))
        case (false, .PUT):
            let object = try store.update(type, namespace: namespace, name: path.name, JSONCodec.decodeObject(request.body),
                                          dryRun: DryRun.requested(request))
            return .json(object: object)
        case (false, .PATCH):
            let document = try PatchDocument(contentType: request.contentType, body: request.body.readableBytesView)
            return .json(object: try store.patch(type, namespace: namespace, name: path.name, document,
                                                 dryRun: DryRun.requested(request)))
        case (false, .DELETE):
            return .json(object: try delete(type, path, request))
        default:
            throw .methodNotAllowed(request.method.rawValue)
        }
    }

    /// The type a request is for, or 404 as for a path the server does not serve: an unknown
    /// resource, a subresource other than status, a namespace in the path of a cluster-scoped
    /// resource (a Namespace's own path aside), or none in a namespaced one (lists across
    /// namespaces aside). A verb the resource does not offer is 405.
    private func servedType(_ path: ResourcePath, _ request: APIRequest) throws(StatusError) -> ResourceType {
        let catalog = core.catalog
        guard let served = catalog.find(group: path.group, version: path.version, name: path.resourceName),
              path.subresource.isEmpty || path.subresource == "status",
              let type = catalog.find(group: path.group, version: path.version, name: path.resource) else {
            throw .pathNotFound(request.path)
        }
        let listsAcrossNamespaces = path.name.isEmpty && request.method == .GET
        if type.namespaced ? (path.namespace.isEmpty && !listsAcrossNamespaces)
                           : (!path.namespace.isEmpty && path.resource != "namespaces") {
            throw .pathNotFound(request.path)
        }
        let verb = RequestInfo(method: request.method.rawValue, path: request.path, isWatch: false).verb
        guard served.verbs.contains(verb) else { throw .methodNotAllowed(request.method.rawValue) }
        return type
    }

    /// `{Kind}List` with the store's resource version; items without kind and apiVersion, as
    /// the real server writes typed lists. `limit` is not applied (the server may ignore it).
    private func list(_ type: ResourceType, namespace: String?, _ request: APIRequest) throws(StatusError) -> [String: Any] {
        let labels = try LabelFilter(parsing: request.query("labelSelector") ?? "")
        let fields = try FieldFilter(parsing: request.query("fieldSelector") ?? "", supported: nil)
        let (items, version) = core.objects.list(type, namespace: namespace, labels: labels, fields: fields)
        return [
            "kind": "\(type.kind)List", "apiVersion": type.groupVersion,
            "metadata": ["resourceVersion": String(version)],
            "items": items.map { $0.filter { $0.key != "kind" && $0.key != "apiVersion" } },
        ]
    }

    private func delete(_ type: ResourceType, _ path: ResourcePath, _ request: APIRequest) throws(StatusError) -> [String: Any] {
        let options = try DeleteOptions(request)
        do {
            let object = try core.objects.delete(type, namespace: type.namespaced ? path.namespace : "", name: path.name,
                                                 preconditions: options.preconditions, dryRun: options.dryRun)
            core.deletions.record(path, options, code: 200)
            if !options.dryRun {
                let metadata = object["metadata"] as? [String: Any] ?? [:]
                Propagation.apply(Propagation.policy(requested: options.propagationPolicy, for: type),
                                  ownerUID: metadata["uid"] as? String ?? "", namespace: path.namespace, pods: store)
            }
            return object
        } catch {
            core.deletions.record(path, options, code: error.code)
            throw error
        }
    }
}
