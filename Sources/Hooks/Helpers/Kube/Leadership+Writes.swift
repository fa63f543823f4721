import Kube

extension Leadership {
    /// The fence on `kube` writes: nil while this replica leads, else the failure the script
    /// gets (`nil, err` with `err.reason == "NotLeader"`). Asked when a hook makes the call and
    /// again just before its request goes out (after rate limiting and discovery), so a write
    /// of a replica that stopped leading meanwhile is not sent either.
    func writeRefusal(_ what: String) -> KubeFailure? {
        guard !isLeading else { return nil }
        return KubeFailure(
            status: 0, reason: "NotLeader",
            message: "\(what) refused: this replica no longer leads (lease \(lease)); another replica takes over the hooks")
    }
}
