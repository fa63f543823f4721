import Foundation

/// Create, update, patch and delete with the rules pods follow too: server-assigned uid,
/// creationTimestamp and resourceVersion, `generateName`, 409 on a taken name or a stale
/// version, identity kept on update, and dry runs that answer without storing.
extension ObjectStore {
    func create(_ type: ResourceType, namespace: String, _ body: [String: Any], dryRun: Bool) throws(StatusError) -> [String: Any] {
        try Self.checkKind(body, type)
        var object = EventShape.toStored(body, from: type)
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        if type.namespaced, let bodyNamespace = metadata["namespace"] as? String, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        var name = metadata["name"] as? String ?? ""
        if name.isEmpty, let prefix = metadata["generateName"] as? String, !prefix.isEmpty {
            name = prefix + PodRegistry.randomSuffix()
        }
        try PodRegistry.validateName(name, kind: type.kind)
        metadata["name"] = name
        metadata["namespace"] = type.namespaced ? namespace : nil
        metadata["uid"] = UUID().uuidString.lowercased()
        metadata["creationTimestamp"] = JSONCodec.timestamp()
        metadata["resourceVersion"] = nil
        metadata["deletionTimestamp"] = nil
        object["metadata"] = metadata
        object["apiVersion"] = nil
        object["kind"] = nil
        let key = key(type, namespace, name)
        return try objects.withLock { objects throws(StatusError) in
            guard objects[key] == nil else { throw .alreadyExists(name, type) }
            guard !dryRun else { return served(object, as: type) }
            objects[key] = stamped(object)
            leaseHolders.record(type, from: nil, to: objects[key])
            return served(objects[key]!, as: type)
        }
    }

    /// PUT: replaces the object. Without `metadata.resourceVersion` the update is
    /// unconditional; with a stale one it is a 409 Conflict.
    func update(_ type: ResourceType, namespace: String, name: String, _ body: [String: Any], dryRun: Bool) throws(StatusError) -> [String: Any] {
        try Self.checkKind(body, type)
        let metadata = body["metadata"] as? [String: Any] ?? [:]
        if let bodyName = metadata["name"] as? String, bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        return try write(type, namespace: namespace, name: name, dryRun: dryRun) { _ throws(StatusError) in
            EventShape.toStored(body, from: type)
        }
    }

    func patch(_ type: ResourceType, namespace: String, name: String, _ document: PatchDocument, dryRun: Bool) throws(StatusError) -> [String: Any] {
        try write(type, namespace: namespace, name: name, dryRun: dryRun) { stored throws(StatusError) in
            // Patches are written against the shape the client reads.
            EventShape.toStored(try document.apply(to: served(stored, as: type)), from: type)
        }
    }

    /// Removes the object and returns its last state (unchanged for a dry run).
    func delete(_ type: ResourceType, namespace: String, name: String, preconditions: DeleteOptions.Preconditions,
                dryRun: Bool) throws(StatusError) -> [String: Any] {
        let key = key(type, namespace, name)
        return try objects.withLock { objects throws(StatusError) in
            guard let stored = objects[key] else { throw .notFound(name, type) }
            try Self.check(stored, type, resourceVersion: preconditions.resourceVersion, uid: preconditions.uid)
            if !dryRun {
                objects[key] = nil
                leaseHolders.record(type, from: stored, to: nil)
            }
            return served(stored, as: type)
        }
    }

    /// Replaces a stored object with what `change` makes of it; the changed object's
    /// `resourceVersion` and `uid` are preconditions. A change that changes nothing keeps the
    /// version, as the real server does.
    private func write(_ type: ResourceType, namespace: String, name: String, dryRun: Bool,
                       _ change: ([String: Any]) throws(StatusError) -> [String: Any]) throws(StatusError) -> [String: Any] {
        let key = key(type, namespace, name)
        return try objects.withLock { objects throws(StatusError) in
            guard let stored = objects[key] else { throw .notFound(name, type) }
            var object = try change(stored)
            var metadata = object["metadata"] as? [String: Any] ?? [:]
            try Self.check(stored, type, resourceVersion: metadata["resourceVersion"] as? String, uid: metadata["uid"] as? String)
            let storedMetadata = stored["metadata"] as? [String: Any] ?? [:]
            for field in ["name", "namespace", "uid", "creationTimestamp", "resourceVersion"] {
                metadata[field] = storedMetadata[field]
            }
            object["metadata"] = metadata
            object["apiVersion"] = stored["apiVersion"]
            object["kind"] = stored["kind"]
            if dryRun || JSONCodec.encode(object) == JSONCodec.encode(stored) { return served(object, as: type) }
            objects[key] = stamped(object)
            leaseHolders.record(type, from: stored, to: objects[key])
            return served(objects[key]!, as: type)
        }
    }

    /// The object at the next resource version.
    private func stamped(_ object: [String: Any]) -> [String: Any] {
        var object = object
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        metadata["resourceVersion"] = String(versions.nextResourceVersion())
        object["metadata"] = metadata
        return object
    }

    private static func check(_ stored: [String: Any], _ type: ResourceType, resourceVersion: String?, uid: String?) throws(StatusError) {
        let metadata = stored["metadata"] as? [String: Any] ?? [:]
        let name = metadata["name"] as? String ?? ""
        if let resourceVersion, !resourceVersion.isEmpty, resourceVersion != metadata["resourceVersion"] as? String {
            throw .conflict(name, type)
        }
        let actual = metadata["uid"] as? String ?? ""
        if let uid, !uid.isEmpty, uid != actual {
            throw .uidPreconditionFailed(name, type, precondition: uid, actual: actual)
        }
    }

    private static func checkKind(_ object: [String: Any], _ type: ResourceType) throws(StatusError) {
        if let kind = object["kind"] as? String, !kind.isEmpty, kind != type.kind {
            throw .badRequest("the kind of the object (\(kind)) does not match the resource (\(type.name))")
        }
        if let apiVersion = object["apiVersion"] as? String, !apiVersion.isEmpty, apiVersion != type.groupVersion {
            throw .badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(type.groupVersion))")
        }
    }
}
