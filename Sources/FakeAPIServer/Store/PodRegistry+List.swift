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
            let keys: [NamespacedName]
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
            // A slice from the continue token's key, and a page that stops at its limit: a
            // paged list of a large store stays linear in the store's size.
            let rest = keys[(start.map { Self.firstIndex(after: $0, in: keys) } ?? 0)...]
            var items: [StoredPod] = []
            var next: ContinueToken?
            var remaining = 0
            let limit = query.limit.flatMap { $0 > 0 ? $0 : nil } ?? Int.max
            for position in rest.indices {
                guard let pod = pods[rest[position]], query.filter.matches(pod) else { continue }
                guard items.count == limit else {
                    items.append(pod)
                    continue
                }
                next = ContinueToken(resourceVersion: version, lastKey: items.last!.key, page: page + 1)
                // The real server counts what is left only when no selector narrows the list.
                if !query.filter.hasSelectors {
                    let namespace = query.filter.namespace
                    remaining = namespace == nil ? rest.endIndex - position : rest[position...].count { $0.namespace == namespace }
                }
                break
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
