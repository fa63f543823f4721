/// How long a lease lasts and how often it is renewed; client-go's defaults. The leader renews
/// every `retryPeriod` and stops leading when it has not renewed for `renewDeadline`, which is
/// shorter than `leaseDuration`, so it stops before any other replica may take the lease over.
public struct LeaderElectionTimings: Sendable, Equatable {
    /// What other replicas wait, after they last saw the lease change, before they take it.
    /// The Lease holds it in whole seconds.
    public var leaseDurationSeconds: Int
    public var renewDeadline: Duration
    public var retryPeriod: Duration

    public init(leaseDurationSeconds: Int = 15, renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)) {
        self.leaseDurationSeconds = leaseDurationSeconds
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }

    public var leaseDuration: Duration { .seconds(leaseDurationSeconds) }

    /// Whether the timings keep the promise above: a positive retry period shorter than the
    /// renew deadline, which is shorter than the lease.
    public var isValid: Bool {
        retryPeriod > .zero && renewDeadline > retryPeriod && leaseDuration > renewDeadline
    }
}
