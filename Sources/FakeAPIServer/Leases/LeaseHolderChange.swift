import Foundation

/// A Lease's `spec.holderIdentity` changing as the server stored it: who held the lease before
/// and who holds it now (nil for nobody: no lease yet, a deleted lease, no holder, or "", which
/// is how a leader releases one), when, and at which resource version (a deleted lease's last).
/// A renewal by the same holder is not a change.
public struct LeaseHolderChange: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var previousHolder: String?
    public var holder: String?
    public var time: Date
    public var resourceVersion: String
}

/// A Lease's annotations changing as the server stored them (a leader's checkpoint, say).
public struct LeaseAnnotationChange: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var annotations: [String: String]
    public var resourceVersion: String
}
