extension ReflectorStateMachine {
    /// A page arrived: ask for the next one, or apply the complete list to `cache` and start watching.
    public mutating func listPageReceived(_ page: PodListPage, cache: inout PodStore) -> [Action] {
        guard case .listing(var request, var items) = phase else { return misuse("listPageReceived") }
        // The phase lets go of the pages so far, so appending this one does not copy them all.
        phase = .idle
        items += page.items
        let warning = noticeMissingMetadata(in: page.items, listVersion: page.resourceVersion)
        if let token = page.continueToken {
            request.continueToken = token
            phase = .listing(request, items: items)
            return warning + [.list(request)]
        }
        let initial = !isSynced
        // A list without a version (emulators): the watch resumes from the last one known, or "".
        let version = page.resourceVersion.isEmpty ? lastResourceVersion ?? "" : page.resourceVersion
        let events = cache.replace(with: items, at: version, initial: initial, namespace: namespace)
        lastResourceVersion = version
        // Reported before `synced`, so a consumer told of the sync finds the list counted.
        var actions: [Action] = warning + (events.isEmpty ? [] : [.deliver(events)]) + [.report(.listed)]
        if initial { actions.append(.synced) }
        actions.append(startWatch())
        return actions
    }

    /// A list page failed. Nothing of a partial list is ever applied.
    public mutating func listFailed(_ failure: Failure) -> [Action] {
        guard case .listing(let request, _) = phase else { return misuse("listFailed") }
        switch failure {
        case .status(let status) where status.code == 410:
            // An expired continue token: one full list without paging. A resource version too
            // old for a relist: a consistent read at once.
            if request.continueToken != nil { return [startList(resourceVersion: "", paged: false)] }
            return [startList(resourceVersion: "")]
        case .status(let status) where status.code == 429:
            return [retry(.list(request.firstPage), retryAfterSeconds: status.retryAfterSeconds)]
        case .status(let status) where status.code == 401:
            return [.refreshCredentials, retry(.list(request.firstPage))]
        case .status(let status) where status.isTooLargeResourceVersion:
            return [retry(.list(ListRequest(resourceVersion: "", continueToken: nil, limit: pageSize)))]
        case .status, .transport, .malformed:
            return [retry(.list(request.firstPage))]
        }
    }
}

extension ReflectorStateMachine.ListRequest {
    /// The same list from its first page.
    var firstPage: Self { Self(resourceVersion: resourceVersion, continueToken: nil, limit: limit) }
}

extension APIStatus {
    /// The API server's answer to a resource version newer than it has seen (504, or an ERROR
    /// event with reason "Timeout" saying "Too large resource version").
    var isTooLargeResourceVersion: Bool {
        message.lowercased().contains("too large resource version") || reason == "TooLargeResourceVersion"
    }
}
