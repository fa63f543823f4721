import Foundation

/// What a `coordination.k8s.io/v1` Lease says about leadership: its `spec`. A record with no
/// holder (none, or "", which is how a leader releases one) is free for anyone to take.
public struct LeaseRecord: Sendable, Equatable {
    public var holderIdentity: String?
    /// How long candidates wait after they last saw the record change before they take it.
    public var leaseDurationSeconds: Int?
    public var acquireTime: Date?
    public var renewTime: Date?
    /// How many times the lease went from one holder to another.
    public var leaseTransitions: Int?

    public init(
        holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: Date? = nil, renewTime: Date? = nil,
        leaseTransitions: Int? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// Who holds the lease; nil when nobody does.
    public var holder: String? {
        guard let holderIdentity, !holderIdentity.isEmpty else { return nil }
        return holderIdentity
    }
}

/// A Lease as read from (or written to) the server: its record and the resourceVersion that
/// the next write must carry.
public struct ObservedLease: Sendable, Equatable {
    public var record: LeaseRecord
    public var resourceVersion: String

    public init(record: LeaseRecord, resourceVersion: String) {
        self.record = record
        self.resourceVersion = resourceVersion
    }
}
