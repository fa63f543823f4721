import Kube

/// What the `kube` module of every hook shares: the informer's cache for reads, a backend for
/// API calls (live or replay), the Event recorder, and the reach rule every API call and Event
/// of every command passes through first (`KubeReach`).
public struct KubeHelper: Sendable {
    public let cache: PodCache
    public let backend: any KubeBackend
    public let events: KubeEventRecorder
    /// Cluster-scoped resources namespace hooks may read (`--allow-cluster-read`).
    public let clusterReads: Set<String>
    /// Where refused calls are counted (`kubelua_kube_refused_total`).
    public let statistics: KubeCallStatistics
    /// Told of each refused call (a warning in `run`, a line on standard error elsewhere).
    let reportRefusal: @Sendable (KubeFailure) -> Void
    /// `run --leader-elect`: writes only while this replica leads. Nil: always.
    let leadership: Leadership?

    public init(
        cache: PodCache, backend: any KubeBackend, events: KubeEventRecorder, clusterReads: Set<String> = [],
        statistics: KubeCallStatistics = KubeCallStatistics(), leadership: Leadership? = nil,
        reportRefusal: @escaping @Sendable (KubeFailure) -> Void = { _ in }
    ) {
        self.cache = cache
        self.backend = backend
        self.events = events
        self.clusterReads = clusterReads
        self.statistics = statistics
        self.leadership = leadership
        self.reportRefusal = reportRefusal
    }

    /// Carries out a hook's API call, unless it is outside the hook's reach or is a write of a
    /// replica that no longer leads.
    func perform(_ call: KubeCall, scope: HookScope, secondsLeft: Double?) async -> KubeOutcome {
        if call.verb.writes, let refusal = leadership?.writeRefusal(call.verb.rawValue) { return .failure(refusal) }
        return switch await admit(call, as: call.verb.rawValue, scope: scope, secondsLeft: secondsLeft) {
        case .success(let admitted): await backend.perform(admitted, secondsLeft: secondsLeft)
        case .failure(let refusal): .failure(refusal)
        }
    }

    /// Posts a hook's Event, unless the object it is about is outside the hook's reach (the
    /// Event goes to that object's namespace).
    func record(_ event: KubeEventRecorder.Occurrence, scope: HookScope, secondsLeft: Double?) async -> KubeOutcome {
        if let refusal = leadership?.writeRefusal("event") { return .failure(refusal) }
        let regarding = event.regarding
        let about = KubeCall(
            verb: .create, apiVersion: regarding.apiVersion, kind: regarding.kind, namespace: regarding.namespace, name: regarding.name,
            hook: event.hook)
        switch await admit(about, as: "event", scope: scope, secondsLeft: secondsLeft) {
        case .success(let admitted):
            var event = event
            event.regarding.namespace = admitted.namespace
            return await events.record(event, backend: backend, secondsLeft: secondsLeft)
        case .failure(let refusal):
            return .failure(refusal)
        }
    }

    /// The one check: a call of an `_all/` hook goes as it is; one of a namespace hook is asked
    /// where its kind lives (built-in cluster-scoped kinds without a request, others through the
    /// backend's discovery) and then held to the hook's namespace.
    private func admit(_ call: KubeCall, as what: String, scope: HookScope, secondsLeft: Double?) async -> Result<KubeCall, KubeFailure> {
        guard case .namespace = scope else { return .success(call) }
        let reach = KubeReach(scope: scope, clusterReads: clusterReads)
        var resource = APIResource.offline(apiVersion: call.apiVersion, kind: call.kind)
        // Another namespace is refused whatever the kind: nothing needs asking.
        if resource.namespaced, call.namespace == nil || call.namespace == scope.namespace {
            switch await backend.resource(of: call, secondsLeft: secondsLeft) {
            case .success(let found): resource = found
            case .failure(let failure): return .failure(failure)
            }
        }
        let decision = reach.admit(call, as: what, resource: resource)
        if case .failure(let refusal) = decision {
            statistics.refused(hook: call.hook, call: what, resource: resource.description)
            reportRefusal(refusal)
        }
        return decision
    }
}
