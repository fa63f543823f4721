/// Which requests a fault applies to.
public enum FaultTarget: Sendable, Hashable {
    /// A fresh list request (page 1: no `continue`).
    case list
    case watch
    /// Page N of a paged list; page 1 is the fresh list, page 2 the first `continue` request.
    case page(Int)
    /// Any `continue` request (page 2 and later).
    case continuePage
    /// Any request of this kind.
    case kind(RequestKind)
    /// Any request at all.
    case any
    /// Requests with this RBAC verb (get, list, watch, create, update, patch, delete) on this
    /// resource ("pods", "jobs", "pods/eviction"), in any API group unless `group` is given
    /// ("" for core), in any namespace unless `namespace` is given.
    case request(verb: String, resource: String, group: String? = nil, namespace: String? = nil)
    /// Requests that carry `Authorization: Bearer <token>`: one client, when each client has a
    /// token of its own (the server need not be checking tokens).
    case client(bearerToken: String)

    /// The targets a request counts for (each keeps its own ordinal).
    static func targets(kind: RequestKind, page: Int?, request: RequestInfo? = nil, bearerToken: String? = nil) -> [FaultTarget] {
        var targets: [FaultTarget] = [.any, .kind(kind)]
        if let bearerToken { targets.append(.client(bearerToken: bearerToken)) }
        if let request, let path = request.resource {
            for group in [nil, path.group] {
                for namespace in [nil, path.namespace] {
                    targets.append(.request(verb: request.verb, resource: path.resourceName, group: group, namespace: namespace))
                }
            }
        }
        switch kind {
        case .watch: targets.append(.watch)
        case .list:
            let page = page ?? 1
            targets.append(.page(page))
            targets.append(page == 1 ? .list : .continuePage)
        default: break
        }
        return targets
    }
}

/// When a fault fires among the requests its target matches.
public enum FaultSchedule: Sendable, Hashable {
    /// The next matching request.
    case next
    /// The next N matching requests.
    case times(Int)
    /// The Nth matching request since the server started (1-based); never, if already past.
    case nth(Int)
    /// Every matching request until the fault is removed.
    case always
}

/// An injected fault, as listed by `FakeAPIServer.pendingFaults`.
public struct Fault: Sendable, Equatable, Identifiable {
    public var id: Int
    public var action: FaultAction
    public var target: FaultTarget
    public var schedule: FaultSchedule
}
