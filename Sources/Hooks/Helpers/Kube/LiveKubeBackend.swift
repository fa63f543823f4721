import Foundation
import Kube
import Logging
import NIOHTTP1

/// `kube` calls against the API server: kinds resolved through discovery, a client-side rate
/// limit, bounded responses, writes logged and counted, and in a dry run every write sent with
/// `dryRun=All` (validated by the server, nothing changed).
public struct LiveKubeBackend: KubeBackend {
    let client: KubeClient
    let discovery: APIDiscovery
    let rateLimit: TokenBucket
    let dryRun: Bool
    let maximumResponseBytes: Int
    let statistics: KubeCallStatistics
    /// `run --leader-elect`: a write goes out only while this replica leads.
    let leadership: Leadership?
    let logger: Logger

    public init(
        client: KubeClient, rateLimit: TokenBucket = TokenBucket(), dryRun: Bool = false, maximumResponseBytes: Int = 8 << 20,
        statistics: KubeCallStatistics = KubeCallStatistics(), leadership: Leadership? = nil, logger: Logger
    ) {
        self.leadership = leadership
        self.client = client
        discovery = APIDiscovery(client: client)
        self.rateLimit = rateLimit
        self.dryRun = dryRun
        self.maximumResponseBytes = maximumResponseBytes
        self.statistics = statistics
        self.logger = logger
    }

    public func resource(of call: KubeCall, secondsLeft: Double?) async -> Result<APIResource, KubeFailure> {
        do {
            return .success(try await discovery.resource(apiVersion: call.apiVersion, kind: call.kind, timeout: Self.timeout(secondsLeft)))
        } catch {
            let described = Self.describe(error, call, resource: call.kind)
            record(call, resource: call.kind, code: described.status)
            return .failure(described)
        }
    }

    /// A request's bound: the handler's deadline, at most 30 s.
    private static func timeout(_ secondsLeft: Double?) -> Duration { .seconds(min(secondsLeft ?? 30, 30)) }

    public func perform(_ call: KubeCall, secondsLeft: Double?) async -> KubeOutcome {
        let timeout = Self.timeout(secondsLeft)
        var resourceName = call.kind
        do {
            try await rateLimit.acquire()
            let resource = try await discovery.resource(apiVersion: call.apiVersion, kind: call.kind, timeout: timeout)
            resourceName = resource.name
            if resource.namespaced, call.namespace == nil, call.verb != .list {
                throw KubeFailure(status: 0, reason: "Invalid", message: "\(call.kind) is namespaced: give a namespace")
            }
            // Waiting for the rate limit or discovery may have outlasted the lease.
            if call.verb.writes, let refusal = leadership?.writeRefusal(call.verb.rawValue) { return .failure(refusal) }
            let body = try await client.send(request(call, resource), timeout: timeout, maximumSize: maximumResponseBytes)
            record(call, resource: resource.name, code: 200)
            return .object(body)
        } catch let failure as KubeFailure {
            record(call, resource: resourceName, code: failure.status)
            return .failure(failure)
        } catch let failure as KubeRequestFailure {
            let described = Self.describe(failure, call, resource: resourceName)
            record(call, resource: resourceName, code: described.status)
            return .failure(described)
        } catch {
            return .failure(KubeFailure(status: 0, reason: "Timeout", message: "\(call.verb.rawValue) \(call.kind): the handler's deadline passed"))
        }
    }

    /// The HTTP request for `call` on `resource`.
    func request(_ call: KubeCall, _ resource: APIResource) -> ObjectRequest {
        let namespace = resource.namespaced ? call.namespace : nil
        var query: [(String, String)] = []
        if dryRun && call.verb.writes { query.append(("dryRun", "All")) }
        if let fieldManager = call.fieldManager ?? (call.verb.writes ? "kubelua" : nil), call.verb == .create || call.verb == .patch {
            query.append(("fieldManager", fieldManager))
        }
        switch call.verb {
        case .get:
            return ObjectRequest(method: .GET, path: resource.path(namespace: namespace, name: call.name))
        case .list:
            if let labels = call.labelSelector { query.append(("labelSelector", labels)) }
            if let fields = call.fieldSelector { query.append(("fieldSelector", fields)) }
            if let limit = call.limit { query.append(("limit", String(limit))) }
            return ObjectRequest(method: .GET, path: resource.path(namespace: namespace), query: query)
        case .create:
            return ObjectRequest(method: .POST, path: resource.path(namespace: namespace), query: query, body: call.body)
        case .patch:
            return ObjectRequest(
                method: .PATCH, path: resource.path(namespace: namespace, name: call.name), query: query, body: call.body,
                contentType: (call.patchType ?? .merge).contentType)
        case .delete:
            return ObjectRequest(method: .DELETE, path: resource.path(namespace: namespace, name: call.name), query: query, body: deleteOptions(call))
        case .evict:
            var eviction: [String: Any] = [
                "apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": call.name ?? "", "namespace": namespace ?? ""],
            ]
            if let options = deleteOptionsObject(call) { eviction["deleteOptions"] = options }
            return ObjectRequest(
                method: .POST, path: resource.path(namespace: namespace, name: call.name, subresource: "eviction"), query: query,
                body: JSONObjects.bytes(eviction))
        }
    }

    private func deleteOptions(_ call: KubeCall) -> [UInt8]? {
        deleteOptionsObject(call).map { JSONObjects.bytes(["apiVersion": "v1", "kind": "DeleteOptions"].merging($0) { a, _ in a }) }
    }

    private func deleteOptionsObject(_ call: KubeCall) -> [String: Any]? {
        var options: [String: Any] = [:]
        if let grace = call.gracePeriodSeconds { options["gracePeriodSeconds"] = grace }
        if let propagation = call.propagationPolicy { options["propagationPolicy"] = propagation }
        if let uid = call.uid { options["preconditions"] = ["uid": uid] }
        if dryRun { options["dryRun"] = ["All"] }
        return options.isEmpty ? nil : options
    }


    /// Logs a write (never its body; a failed one as a warning) and counts every call.
    private func record(_ call: KubeCall, resource: String, code: Int) {
        statistics.count(call, resource: resource, code: code)
        guard call.verb.writes else { return }
        let written = (200..<300).contains(code)
        let message: Logger.Message = written ? (dryRun ? "kube write (dry run: validated, not applied)" : "kube write") : "kube write failed"
        logger.log(level: written ? .info : .warning, message, metadata: [
            "verb": "\(call.verb.rawValue)", "target": "\(call.target(resource: resource))", "hook": "\(call.hook)",
            "dry_run": .stringConvertible(dryRun), "code": .stringConvertible(code),
        ])
    }
}
