import Foundation

/// Every holder change and annotation change of every Lease. The object store records them
/// while it holds its lock, so they are logged in the order of the writes that made them.
final class LeaseHolderLog: Sendable {
    let changes = ReplayingLog<LeaseHolderChange>()
    let annotationChanges = ReplayingLog<LeaseAnnotationChange>()

    /// Notes a write of an object of `type` (ignored unless it is a Lease), from its stored
    /// state before (nil: none) to after (nil: deleted).
    func record(_ type: ResourceType, from before: [String: Any]?, to after: [String: Any]?) {
        guard type.storage == ResourceType.leases.storage else { return }
        let annotations = Self.annotations(after)
        if annotations != Self.annotations(before), let metadata = after?["metadata"] as? [String: Any] {
            annotationChanges.append { _ in
                LeaseAnnotationChange(namespace: metadata["namespace"] as? String ?? "", name: metadata["name"] as? String ?? "",
                                      annotations: annotations, resourceVersion: metadata["resourceVersion"] as? String ?? "")
            }
        }
        let previous = Self.holder(before), holder = Self.holder(after)
        guard previous != holder, let metadata = (after ?? before)?["metadata"] as? [String: Any] else { return }
        changes.append { _ in
            LeaseHolderChange(namespace: metadata["namespace"] as? String ?? "", name: metadata["name"] as? String ?? "",
                              previousHolder: previous, holder: holder, time: Date(),
                              resourceVersion: metadata["resourceVersion"] as? String ?? "")
        }
    }

    private static func annotations(_ object: [String: Any]?) -> [String: String] {
        (object?["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
    }

    private static func holder(_ lease: [String: Any]?) -> String? {
        guard let holder = (lease?["spec"] as? [String: Any])?["holderIdentity"] as? String, !holder.isEmpty else { return nil }
        return holder
    }
}
