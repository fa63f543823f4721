import JSONBytes

/// The parts of a pod that readers declare (dotted paths, `status.phase`), and what the cache of
/// a watch keeps for them: the union of its readers' declarations and what kubelua reads from a
/// cached pod itself, or the whole pod when one reader declares nothing.
///
/// `metadata.managedFields` (server-side apply's bookkeeping) is the exception to "a path keeps
/// everything under it" while it is stripped: `metadata` then keeps it only when a reader names
/// `metadata.managedFields` itself.
public enum PodProjection {
    public static let managedFields = ["metadata", "managedFields"]

    /// What names a pod: every reader sees it, whatever it declares (the `kube` helpers read it
    /// from the pod tables hooks pass them, and `ctx` carries it anyway).
    public static let identity: [[String]] = [["metadata", "name"], ["metadata", "namespace"], ["metadata", "uid"]]

    /// What kubelua reads from the JSON of a cached pod: the identity, the labels (label
    /// selectors, `kube.pods`), the resource version and the phase. Field selectors name their
    /// fields on top (`cached`).
    public static let required: [[String]] = identity + [["metadata", "resourceVersion"], ["metadata", "labels"], ["status", "phase"]]

    /// The whole pod, less `metadata.managedFields` when stripped.
    public static func whole(strippingManagedFields: Bool) -> JSONProjection {
        strippingManagedFields ? .everything.excluding(managedFields) : .everything
    }

    /// What a reader that declares `paths` sees: each path and everything under it, except
    /// `metadata.managedFields` under a shorter path while they are stripped.
    public static func reading(_ paths: [[String]], strippingManagedFields: Bool) -> JSONProjection {
        paths.reduce(JSONProjection(keeping: [])) { kept, path in
            let hidesManagedFields = strippingManagedFields && path.count < managedFields.count && managedFields.starts(with: path)
            let read = JSONProjection(keeping: [path])
            return kept.union(hidesManagedFields ? read.excluding(managedFields) : read)
        }
    }

    /// What the cache of one watch keeps, given what each reader it feeds sees (nil: a reader
    /// that declared nothing, and sees the whole pod) and the fields its selectors compare.
    public static func cached(views: [JSONProjection?], selecting fields: [[String]], strippingManagedFields: Bool) -> JSONProjection {
        let declared = views.compactMap { $0 }.reduce(JSONProjection(keeping: required + fields)) { $0.union($1) }
        guard views.contains(where: { $0 == nil }) else { return declared }
        return whole(strippingManagedFields: strippingManagedFields).union(declared)
    }
}
