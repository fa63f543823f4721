/// Why a replica stopped leading.
public enum LeadershipLoss: String, Sendable, Equatable {
    /// A write to the lease was refused with 409: another replica wrote it in between.
    case conflict
    /// No renewal succeeded within the renew deadline (the API server unreachable, or slow).
    case renewDeadline = "renew_deadline"
    /// The replica is shutting down and gave the lease up.
    case released
    /// The elector stopped without releasing the lease (cancelled): the lease runs out by itself.
    case electorStopped = "elector_stopped"
}
