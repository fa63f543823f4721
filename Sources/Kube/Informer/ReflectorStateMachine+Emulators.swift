extension ReflectorStateMachine {
    /// Some API emulators leave out `metadata.resourceVersion` or `metadata.uid` (of pods, or of
    /// a list). That is accepted: a pod without a version counts as changed on every event, one
    /// without a UID is told apart by name only, and a watch resumes from the last version known.
    /// The user is told once per reflector run (it is a trait of the server), on the first
    /// response that shows it.
    mutating func noticeMissingMetadata(in pods: [PodRecord], listVersion: String? = nil) -> [Action] {
        guard !reportedMissingMetadata else { return [] }
        var missing: [String] = []
        if listVersion?.isEmpty == true { missing.append("the list's metadata.resourceVersion") }
        if pods.contains(where: { !$0.isVersioned }) { missing.append("pods' metadata.resourceVersion") }
        if pods.contains(where: { $0.uid.isEmpty }) { missing.append("pods' metadata.uid") }
        guard !missing.isEmpty else { return [] }
        reportedMissingMetadata = true
        return [.warn(
            "the API server leaves out \(missing.joined(separator: " and ")) (an API emulator?): pods without a resourceVersion "
                + "count as changed on every event, pods without a uid are told apart by name only, and watches resume from the last "
                + "resourceVersion known (warned once)")]
    }
}
