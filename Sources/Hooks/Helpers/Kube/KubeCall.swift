import Kube

/// One API call a hook makes through `kube`: what the backends (live, replay) carry out.
public struct KubeCall: Sendable, Equatable {
    /// The RBAC verb (`evict` is `create` on `pods/eviction`).
    public enum Verb: String, Sendable, CaseIterable {
        case get, list, create, patch, delete, evict

        /// Whether it changes the cluster (logged, counted, and only validated in a dry run).
        public var writes: Bool { self != .get && self != .list }
    }

    public enum PatchType: String, Sendable {
        case merge, strategic, json

        public var contentType: String {
            switch self {
            case .merge: "application/merge-patch+json"
            case .strategic: "application/strategic-merge-patch+json"
            case .json: "application/json-patch+json"
            }
        }
    }

    public var verb: Verb
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    /// Nil for list and create.
    public var name: String?
    /// A precondition on writes: the object must still have this UID.
    public var uid: String?
    /// The object (create), the patch (patch); JSON text.
    public var body: [UInt8]?
    public var patchType: PatchType?
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var fieldManager: String?
    public var gracePeriodSeconds: Int?
    public var propagationPolicy: String?
    /// The hook making the call, for logs and RBAC.
    public var hook: String

    public init(verb: Verb, apiVersion: String, kind: String, namespace: String?, name: String?, hook: String) {
        self.verb = verb
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.hook = hook
    }

    /// `v1/pods default/web-1`: how logs and ACTION lines name the target.
    public func target(resource: String) -> String {
        "\(apiVersion)/\(resource) \([namespace, name].compactMap { $0 }.joined(separator: "/"))"
    }
}

/// What a call gives back: the object (or list) as JSON, or a failure as the API describes it.
public enum KubeOutcome: Sendable, Equatable {
    case object([UInt8])
    case failure(KubeFailure)
}

/// `err` of `nil, err`: the HTTP code (0 when there was no answer), the API's reason
/// (`NotFound`, `Forbidden`, ..., or `offline`, `Timeout`) and a readable message.
public struct KubeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String
    public var message: String

    public init(status: Int, reason: String, message: String) {
        self.status = status
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason)\(status > 0 ? " (\(status))" : ""): \(message)" }
}

/// Carries out `kube` calls: against the API server, or offline in `replay`.
public protocol KubeBackend: Sendable {
    /// Performs `call` within `secondsLeft` (the handler's deadline, when it has one).
    func perform(_ call: KubeCall, secondsLeft: Double?) async -> KubeOutcome

    /// The resource serving the call's kind (is it namespaced?), asked before the call is
    /// admitted; a failure ends the call.
    func resource(of call: KubeCall, secondsLeft: Double?) async -> Result<APIResource, KubeFailure>
}

extension KubeBackend {
    /// Without a server: the built-in names (`APIResource.offline`).
    public func resource(of call: KubeCall, secondsLeft: Double?) async -> Result<APIResource, KubeFailure> {
        .success(.offline(apiVersion: call.apiVersion, kind: call.kind))
    }
}
