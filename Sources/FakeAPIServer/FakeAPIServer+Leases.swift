/// Who held which `coordination.k8s.io/v1` Lease when: leader election as the server saw it.
extension FakeAPIServer {
    /// Every holder change of every Lease so far, in the order they were written.
    public var leaseHolderChanges: [LeaseHolderChange] { core.objects.leaseHolders.changes.entries }

    /// Waits for the first holder change (past or future) satisfying `predicate`, e.g. the
    /// lease `kubelua` in `kubelua-system` going to a given holder. Returns nil if the server
    /// shuts down first.
    public func waitForLeaseHolderChange(where predicate: (LeaseHolderChange) -> Bool) async -> LeaseHolderChange? {
        for await change in core.objects.leaseHolders.changes.stream() where predicate(change) {
            return change
        }
        return nil
    }

    /// Every change of a Lease's annotations so far, in the order they were written.
    public var leaseAnnotationChanges: [LeaseAnnotationChange] { core.objects.leaseHolders.annotationChanges.entries }

    /// Waits for the first annotation change (past or future) satisfying `predicate`; nil if the
    /// server shuts down first.
    public func waitForLeaseAnnotationChange(where predicate: (LeaseAnnotationChange) -> Bool) async -> LeaseAnnotationChange? {
        for await change in core.objects.leaseHolders.annotationChanges.stream() where predicate(change) {
            return change
        }
        return nil
    }
}
