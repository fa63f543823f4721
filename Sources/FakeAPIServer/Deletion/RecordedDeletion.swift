/// A delete (or eviction) as a client asked for it, recorded by the server so tests can check
/// what a client sent: preconditions, grace period, propagation, dry run.
public struct RecordedDeletion: Sendable, Equatable {
    /// "" for the core group.
    public var group: String
    /// "pods", "jobs", ...; an eviction records "pods" with `subresource` "eviction".
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    public var gracePeriodSeconds: Int?
    /// As sent; nil when the client left it to the server.
    public var propagationPolicy: String?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var dryRun: Bool
    /// The HTTP status answered.
    public var code: Int
}

/// The deletes so far, in arrival order.
final class DeleteLog: Sendable {
    private let entries = Locked<[RecordedDeletion]>([])

    var all: [RecordedDeletion] { entries.withLock { $0 } }

    func record(_ path: ResourcePath, _ options: DeleteOptions, code: Int) {
        let entry = RecordedDeletion(
            group: path.group, resource: path.resource, subresource: path.subresource, namespace: path.namespace,
            name: path.name, gracePeriodSeconds: options.gracePeriodSeconds, propagationPolicy: options.propagationPolicy,
            preconditionUID: options.preconditions.uid, preconditionResourceVersion: options.preconditions.resourceVersion,
            dryRun: options.dryRun, code: code)
        entries.withLock { $0.append(entry) }
    }
}
