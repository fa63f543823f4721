/// Lists: one page at a time, from the current state or from a snapshot.
extension PodRegistry {
    struct ListQuery: Sendable {
        var filter: PodFilter = .everything
        var limit: Int?
        var continueToken: String?
        var resourceVersion: String?
        var resourceVersionMatch: String?
    }

    struct ListPage: Sendable {
        /// The list's `metadata.resourceVersion`: the snapshot all pages are read from.
        var resourceVersion: UInt64
        var items: [StoredPod]
        var continueToken: ContinueToken?
        var remainingItemCount: Int?
    }

    /// Serves one page. `resourceVersion` "", "0" or absent, and any version with
    /// `resourceVersionMatch=NotOlderThan`, read the current state (the fake is never stale);
    /// `resourceVersionMatch=Exact` and continue tokens read the snapshot at their version,
    /// and fail with 410 Expired once it has been compacted.
    func list(_ query: ListQuery) throws(StatusError) -> ListPage {
        try state.withLock { state throws(StatusError) in
            let (version, start, page) = try state.listOrigin(query)
            let pods: [NamespacedName: StoredPod]
            var keys: [NamespacedName]
            if version == state.resourceVersion {
                pods = state.pods
                keys = state.orderedKeys()
            } else {
                guard let snapshot = state.snapshot(at: version) else {
                    throw query.continueToken == nil
                        ? .tooOldResourceVersion(requested: String(version), oldest: String(state.history.compactedThrough))
                        : .continueExpired
                }
                pods = snapshot
                keys = snapshot.keys.sorted()
            }
            if let start {
                keys = Array(keys[Self.firstIndex(after: start, in: keys)...])
            }
            var items: [StoredPod] = []
            var next: ContinueToken?
            var remaining = 0
            let limit = query.limit.flatMap { $0 > 0 ? $0 : nil } ?? Int.max
            for key in keys {
                guard let pod = pods[key], query.filter.matches(pod) else { continue }
                if items.count < limit {
                    items.append(pod)
                } else {
                    if next == nil { next = ContinueToken(resourceVersion: version, lastKey: items.last!.key, page: page + 1) }
                    remaining += 1
                    if query.filter.hasSelectors { break }
                }
            }
            return ListPage(resourceVersion: version, items: items, continueToken: next,
                            remainingItemCount: next != nil && !query.filter.hasSelectors ? remaining : nil)
        }
    }

    private static func firstIndex(after key: NamespacedName, in keys: [NamespacedName]) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] <= key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension PodRegistry.State {
    /// Which version a list reads, from which key, and which page it is.
    func listOrigin(_ query: PodRegistry.ListQuery) throws(StatusError) -> (UInt64, NamespacedName?, Int) {
        let requested = query.resourceVersion ?? ""
        if let text = query.continueToken, !text.isEmpty {
            guard requested.isEmpty else {
                throw .badRequest("specifying resource version is not allowed when using continue")
            }
            let token = try ContinueToken(decoding: text)
            return (token.resourceVersion, token.lastKey, token.page)
        }
        let match = query.resourceVersionMatch ?? ""
        guard ["", "NotOlderThan", "Exact"].contains(match) else {
            throw .invalid("resourceVersionMatch: Unsupported value: \"\(match)\": supported values: \"Exact\", \"NotOlderThan\"")
        }
        if requested.isEmpty {
            guard match.isEmpty else {
                throw .invalid("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")
            }
            return (resourceVersion, nil, 1)
        }
        guard let version = UInt64(requested) else {
            throw .badRequest("invalid resource version: \(requested)")
        }
        if version == 0 && match == "Exact" {
            throw .invalid("resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"")
        }
        if version > resourceVersion {
            throw .tooLargeResourceVersion(requested: requested, current: String(resourceVersion))
        }
        return (match == "Exact" ? version : resourceVersion, nil, 1)
    }
}
