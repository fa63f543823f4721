import Foundation

/// Create, update, patch and delete with the API server's rules: server-assigned uid,
/// creationTimestamp and resourceVersion; 409 on a name taken or a stale resourceVersion;
/// name, namespace, uid and creationTimestamp immutable.
extension PodRegistry {
    func create(_ object: [String: Any], namespace requestNamespace: String?, dryRun: Bool = false) throws(StatusError) -> StoredPod {
        var object = object
        try Self.checkKind(object)
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        let bodyNamespace = metadata["namespace"] as? String
        if let requestNamespace, let bodyNamespace, !bodyNamespace.isEmpty, bodyNamespace != requestNamespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let namespace = requestNamespace ?? bodyNamespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        var name = metadata["name"] as? String ?? ""
        if name.isEmpty, let prefix = metadata["generateName"] as? String, !prefix.isEmpty {
            name = prefix + Self.randomSuffix()
        }
        try Self.validateName(name)
        metadata["name"] = name
        metadata["namespace"] = namespace
        metadata["uid"] = UUID().uuidString.lowercased()
        metadata["creationTimestamp"] = JSONCodec.timestamp()
        metadata["deletionTimestamp"] = nil
        object["metadata"] = metadata
        object["kind"] = "Pod"
        object["apiVersion"] = "v1"
        // No kubelet here: a pod keeps the status it was created with; without one it is Pending.
        var status = object["status"] as? [String: Any] ?? [:]
        if status["phase"] == nil { status["phase"] = "Pending" }
        object["status"] = status
        return try state.withLock { state throws(StatusError) in
            guard state.pods[NamespacedName(namespace: namespace, name: name)] == nil else { throw .alreadyExists(name) }
            // A dry run answers as the real one does: the object as it would be stored, before
            // storage gives it a resourceVersion.
            return dryRun ? StoredPod(object: object) : state.commit(.added, object: object, previous: nil)
        }
    }

    /// PUT: replaces the pod. Without `metadata.resourceVersion` the update is unconditional
    /// (pods allow that); with a stale one it is a 409 Conflict.
    func update(_ object: [String: Any], namespace: String, name: String, dryRun: Bool = false) throws(StatusError) -> StoredPod {
        try Self.checkKind(object)
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        if let bodyName = metadata["name"] as? String, bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if let bodyNamespace = metadata["namespace"] as? String, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        return try state.withLock { state throws(StatusError) in
            let stored = try state.existing(namespace: namespace, name: name)
            try Self.checkPreconditions(stored, resourceVersion: metadata["resourceVersion"] as? String, uid: metadata["uid"] as? String)
            return state.write(Self.keepingImmutables(object, of: stored.object()), over: stored, dryRun: dryRun)
        }
    }

    /// PATCH with an RFC 7386 merge patch.
    func patch(namespace: String, name: String, mergePatch: [String: Any]) throws(StatusError) -> StoredPod {
        try patch(namespace: namespace, name: name, .merge(mergePatch))
    }

    /// PATCH with any supported patch type. A `metadata.resourceVersion` (or `uid`) that the
    /// patched object ends up with is a precondition, as in Kubernetes.
    func patch(namespace: String, name: String, _ document: PatchDocument, dryRun: Bool = false) throws(StatusError) -> StoredPod {
        try state.withLock { state throws(StatusError) in
            let stored = try state.existing(namespace: namespace, name: name)
            let original = stored.object()
            let patched = try document.apply(to: original)
            let metadata = patched["metadata"] as? [String: Any] ?? [:]
            try Self.checkPreconditions(stored, resourceVersion: metadata["resourceVersion"] as? String, uid: metadata["uid"] as? String)
            return state.write(Self.keepingImmutables(patched, of: original), over: stored, dryRun: dryRun)
        }
    }

    /// Changes a pod in place with a Swift closure (the scenario API's general update).
    func mutate(namespace: String, name: String, _ change: (inout [String: Any]) throws -> Void) throws -> StoredPod {
        try state.withLock { state in
            let stored = try state.existing(namespace: namespace, name: name)
            let original = stored.object()
            var object = original
            try change(&object)
            return state.commit(.modified, object: Self.keepingImmutables(object, of: original), previous: stored)
        }
    }

    /// A MODIFIED event that changes only the resource version, spliced into the stored bytes
    /// with no decoding or encoding: the cheapest event there is, for load tests. With
    /// `annotation`, that annotation's value is overwritten too, by `value()` called just
    /// before the event is published (see `FakeAPIServer.touch(namespace:name:rewriting:with:)`).
    func touch(namespace: String, name: String, rewriting annotation: String? = nil, with value: () -> String = { "" }) throws(StatusError) -> StoredPod {
        try state.withLock { state throws(StatusError) in
            let stored = try state.existing(namespace: namespace, name: name)
            let version = state.resourceVersion + 1
            guard var bytes = ResourceVersionBytes.replacing(stored.json, stored.resourceVersion, with: version) else {
                throw StatusError(code: 500, reason: "InternalError", message: "stored pod has no resourceVersion")
            }
            if let annotation {
                try AnnotationBytes.overwrite(annotation, in: &bytes, with: Array(value().utf8), pod: name)
            }
            return state.append(.modified, bytes: bytes, previous: stored) { json in
                var record = stored
                record.resourceVersion = version
                record.json = json
                return record
            }
        }
    }

    /// Removes the pod at once (no graceful deletion): a DELETED event carries the last object
    /// at the deletion's resource version, which is also what is returned.
    func delete(namespace: String, name: String, uid: String? = nil, resourceVersion: String? = nil, dryRun: Bool = false) throws(StatusError) -> StoredPod {
        try state.withLock { state throws(StatusError) in
            let stored = try state.existing(namespace: namespace, name: name)
            try Self.checkPreconditions(stored, resourceVersion: resourceVersion, uid: uid)
            if dryRun { return stored }
            return state.commit(.deleted, object: stored.object(), previous: stored)
        }
    }
}

extension PodRegistry.State {
    /// An update's outcome: committed (a MODIFIED event, a new version), or for a dry run the
    /// object as it would be, still at the stored version.
    mutating func write(_ object: [String: Any], over stored: StoredPod, dryRun: Bool) -> StoredPod {
        guard dryRun else { return commit(.modified, object: object, previous: stored) }
        var object = object
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        metadata["resourceVersion"] = String(stored.resourceVersion)
        object["metadata"] = metadata
        return StoredPod(object: object)
    }

    func existing(namespace: String, name: String) throws(StatusError) -> StoredPod {
        guard let stored = pods[NamespacedName(namespace: namespace, name: name)] else { throw .notFound(name) }
        return stored
    }
}
