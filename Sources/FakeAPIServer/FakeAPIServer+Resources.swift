
/// The scenario API for everything that is not a pod: objects of the other resource types,
/// the resource types discovery offers, the access policy, and what deletes asked for.
extension FakeAPIServer {
    /// Creates an object of `type` (namespace from the object, else "default"; ignored for
    /// cluster-scoped types), as a POST would; returns it as served.
    @discardableResult
    public func createObject(_ type: ResourceType, _ object: [String: Any]) throws(StatusError) -> [String: Any] {
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        return try core.objects.create(type, namespace: metadata["namespace"] as? String ?? "default", object, dryRun: false)
    }

    /// The object as a GET would return it, or nil.
    public func object(_ type: ResourceType, namespace: String = "default", name: String) -> [String: Any]? {
        try? core.objects.get(type, namespace: namespace, name: name)
    }

    /// The objects of `type` in `namespace` (nil: all), in namespace/name order.
    public func objects(_ type: ResourceType, namespace: String? = nil) -> [[String: Any]] {
        core.objects.list(type, namespace: namespace, labels: LabelFilter(), fields: FieldFilter()).items
    }

    /// Offers a resource type in discovery (replacing one with the same group, version and
    /// name) and serves it from the generic store, from now on.
    public func addResource(_ type: ResourceType) {
        core.catalog.add(type)
    }

    /// Stops offering and serving a resource type (its stored objects are kept).
    public func removeResource(_ type: ResourceType) {
        core.catalog.remove(group: type.group, version: type.version, name: type.name)
    }

    /// The resource types discovery currently offers.
    public var resourceTypes: [ResourceType] { core.catalog.all }

    /// Replaces the access policy (nil: allow everything), for the requests that follow.
    public func setAccessPolicy(_ policy: AccessPolicy?) {
        core.access.withLock { $0 = policy }
    }

    /// Every DELETE and eviction so far, with the options each carried.
    public var deletions: [RecordedDeletion] { core.deletions.all }

    /// Shorthand for a `refuse` fault on requests with this verb and resource (see
    /// `FaultTarget.request`), on every matching request by default.
    @discardableResult
    public func refuse(_ verb: String, _ resource: String, group: String? = nil, namespace: String? = nil, code: Int,
                       retryAfterSeconds: Int = 1, _ schedule: FaultSchedule = .always) -> Int {
        inject(.refuse(code: code, retryAfterSeconds: retryAfterSeconds),
               on: .request(verb: verb, resource: resource, group: group, namespace: namespace), schedule)
    }
}
