import Foundation

/// The scenario API: change pods in-process, with the same rules and watch events as over
/// HTTP. Failures throw the `StatusError` the HTTP API would answer with.
extension FakeAPIServer {
    /// Creates a pod (namespace from the object, else "default"); uid, creationTimestamp and
    /// resourceVersion are assigned, and `status.phase` defaults to Pending.
    @discardableResult
    public func create(_ pod: [String: Any]) throws(StatusError) -> FakePod {
        FakePod(try core.store.create(pod, namespace: nil))
    }

    /// Creates a pod from JSON bytes, e.g. `PodGenerator().bytes(i)`.
    @discardableResult
    public func create(json: some Collection<UInt8>) throws(StatusError) -> FakePod {
        try create(JSONCodec.decodeObject(json))
    }

    /// A minimal pod: one container, the given labels and phase.
    @discardableResult
    public func createPod(namespace: String = "default", name: String, labels: [String: String] = [:],
                          phase: String = "Pending", nodeName: String? = nil) throws(StatusError) -> FakePod {
        var spec: [String: Any] = ["containers": [["name": "main", "image": "busybox"]]]
        if let nodeName { spec["nodeName"] = nodeName }
        return try create([
            "metadata": ["name": name, "namespace": namespace, "labels": labels],
            "spec": spec, "status": ["phase": phase],
        ])
    }

    /// Replaces a pod (PUT semantics: a stale `metadata.resourceVersion` is a 409 Conflict,
    /// none means unconditional).
    @discardableResult
    public func update(_ pod: [String: Any]) throws(StatusError) -> FakePod {
        let metadata = pod["metadata"] as? [String: Any] ?? [:]
        return FakePod(try core.store.update(pod, namespace: metadata["namespace"] as? String ?? "default",
                                             name: metadata["name"] as? String ?? ""))
    }

    /// Applies a JSON merge patch (RFC 7386).
    @discardableResult
    public func patch(namespace: String = "default", name: String, mergePatch: [String: Any]) throws(StatusError) -> FakePod {
        FakePod(try core.store.patch(namespace: namespace, name: name, mergePatch: mergePatch))
    }

    /// Changes a pod with a closure over its JSON object; one MODIFIED event (none if nothing
    /// changed). Throws `StatusError` 404 for a missing pod, or what the closure throws.
    @discardableResult
    public func modify(namespace: String = "default", name: String, _ change: (inout [String: Any]) throws -> Void) throws -> FakePod {
        FakePod(try core.store.mutate(namespace: namespace, name: name, change))
    }

    @discardableResult
    public func setPhase(namespace: String = "default", name: String, _ phase: String) throws(StatusError) -> FakePod {
        try patch(namespace: namespace, name: name, mergePatch: ["status": ["phase": phase]])
    }

    /// Sets or removes (nil) labels.
    @discardableResult
    public func setLabels(namespace: String = "default", name: String, _ labels: [String: String?]) throws(StatusError) -> FakePod {
        let patch = labels.mapValues { $0.map { $0 as Any } ?? NSNull() }
        return try self.patch(namespace: namespace, name: name, mergePatch: ["metadata": ["labels": patch]])
    }

    /// A MODIFIED event where only `metadata.resourceVersion` changes, made without decoding
    /// or encoding the pod: for streaming many events fast (benchmarks, load tests).
    @discardableResult
    public func touch(namespace: String = "default", name: String) throws(StatusError) -> FakePod {
        FakePod(try core.store.touch(namespace: namespace, name: name))
    }

    /// A touch that also overwrites the value of one annotation in place, still without
    /// decoding or encoding: `value` is called under the store's lock just before the event is
    /// published, so a time it returns is within microseconds of watchers getting the event
    /// (how the benchmark measures latency). The pod must carry the annotation already, and
    /// `value` must return as many UTF-8 bytes as the value it replaces (no escapes); else 400.
    @discardableResult
    public func touch(namespace: String = "default", name: String, rewriting annotation: String, with value: () -> String) throws(StatusError) -> FakePod {
        FakePod(try core.store.touch(namespace: namespace, name: name, rewriting: annotation, with: value))
    }

    /// Deletes at once; watchers get DELETED with the last state at a new resource version.
    @discardableResult
    public func delete(namespace: String = "default", name: String) throws(StatusError) -> FakePod {
        FakePod(try core.store.delete(namespace: namespace, name: name))
    }

    public func pod(namespace: String = "default", name: String) -> FakePod? {
        core.store.get(NamespacedName(namespace: namespace, name: name)).map(FakePod.init)
    }

    /// All pods, in list order (namespace, then name).
    public var pods: [FakePod] { core.store.pods().map(FakePod.init) }

    /// The store's resource version: the latest change's, as a list would report it.
    public var currentResourceVersion: String { String(core.store.currentResourceVersion) }

    /// Forgets history up to and including `resourceVersion` (default: everything so far).
    /// Watches and continue tokens from before it then get 410 Expired.
    public func compact(through resourceVersion: String? = nil) {
        core.store.state.withLock { state in
            let requested = resourceVersion.flatMap { UInt64($0) } ?? state.resourceVersion
            state.history.compact(through: min(requested, state.resourceVersion))
        }
    }

    /// The oldest resource version a watch can still start from.
    public var compactedResourceVersion: String {
        core.store.state.withLock { String($0.history.compactedThrough) }
    }

    /// Watches currently open.
    public var activeWatchCount: Int { core.store.watcherCount }
}
