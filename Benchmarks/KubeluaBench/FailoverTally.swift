/// One handler call a takeover replica's hook printed (`HookScript.takeover`), with when the
/// parent read the line.
struct HandledCall: Equatable {
    var pod: String
    var version: Int
    /// The send stamp the pod carried; 0 for a version no paced stream made.
    var sentAt: Int64
    var replayed: Bool
    var initial: Bool
    var at: Int64

    /// `handled <namespace/name> <resourceVersion> <stamp> <ctx.replayed> <ctx.initial>`; nil
    /// for any other message.
    init?(message: String, at: Int64) {
        let words = message.split(separator: " ")
        guard words.count == 6, words[0] == "handled", let version = Int(words[2]), let sentAt = Int64(words[3]) else { return nil }
        self.init(pod: String(words[1]), version: version, sentAt: sentAt, replayed: words[4] == "true", initial: words[5] == "true", at: at)
    }

    init(pod: String, version: Int, sentAt: Int64, replayed: Bool = false, initial: Bool = false, at: Int64) {
        self.pod = pod
        self.version = version
        self.sentAt = sentAt
        self.replayed = replayed
        self.initial = initial
        self.at = at
    }
}

/// An event the server child's paced stream sent (its `sent` command's lines).
struct SentEvent: Equatable {
    var pod: String
    var version: Int
    var sentAt: Int64

    /// `namespace/name version stamp`.
    init?(line: Substring) {
        let words = line.split(separator: " ")
        guard words.count == 3, let version = Int(words[1]), let sentAt = Int64(words[2]) else { return nil }
        self.init(pod: String(words[0]), version: version, sentAt: sentAt)
    }

    init(pod: String, version: Int, sentAt: Int64) {
        self.pod = pod
        self.version = version
        self.sentAt = sentAt
    }
}

/// What one failover did to the events, from the calls of the replica that led before (its
/// whole life) and of the one that took over (from the signal on), against the events the
/// server sent meanwhile.
struct FailoverTally: Equatable {
    var sent = 0
    /// The new leader's calls for a pod version the old leader had handled.
    var duplicates = 0
    /// Of those, the ones marked `ctx.replayed`, and the other initial adds (`ctx.initial`).
    var duplicatesReplayed = 0
    var duplicatesInitial = 0
    /// The new leader's calls with `ctx.replayed`, duplicates or not.
    var replayed = 0
    /// Sent events not handled themselves, where a later version of the pod was.
    var superseded = 0
    /// Sent events of which neither they nor any later version of the pod were handled.
    var lost = 0

    /// Duplicates marked neither replayed nor initial.
    var unmarkedDuplicates: Int { duplicates - duplicatesReplayed - duplicatesInitial }

    init(sent: [SentEvent], old: [HandledCall], new: [HandledCall]) {
        struct Version: Hashable { let pod: String, version: Int }
        let oldVersions = Set(old.map { Version(pod: $0.pod, version: $0.version) })
        let handled = oldVersions.union(new.map { Version(pod: $0.pod, version: $0.version) })
        var latest: [String: Int] = [:]
        for call in old + new { latest[call.pod] = max(latest[call.pod] ?? 0, call.version) }
        for call in new {
            if call.replayed { replayed += 1 }
            guard oldVersions.contains(Version(pod: call.pod, version: call.version)) else { continue }
            duplicates += 1
            if call.replayed { duplicatesReplayed += 1 } else if call.initial { duplicatesInitial += 1 }
        }
        self.sent = sent.count
        for event in sent where !handled.contains(Version(pod: event.pod, version: event.version)) {
            if (latest[event.pod] ?? 0) > event.version { superseded += 1 } else { lost += 1 }
        }
    }

    /// When the first of `calls` for a version sent after `instant` was read; nil if none was.
    static func firstCall(_ calls: [HandledCall], sentAfter instant: Int64) -> Int64? {
        calls.filter { $0.sentAt > instant }.map(\.at).min()
    }
}
