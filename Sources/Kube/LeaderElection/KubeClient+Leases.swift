import Foundation

/// Reads and writes of one `coordination.k8s.io/v1` Lease, for the leader elector.
extension KubeClient {
    private static func leases(in namespace: String) -> String { "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases" }

    /// The lease, or nil when there is none (404).
    public func lease(namespace: String, name: String, timeout: Duration) async throws(KubeRequestFailure) -> Lease? {
        do {
            return try Self.lease(await send(ObjectRequest(method: .GET, path: Self.leases(in: namespace) + "/" + name), timeout: timeout, maximumSize: 1 << 20))
        } catch .status(let status) where status.code == 404 {
            return nil
        }
    }

    /// Creates `lease`; 409 (`.status`) when it exists already.
    public func create(_ lease: Lease, timeout: Duration) async throws(KubeRequestFailure) -> Lease {
        try Self.lease(await send(
            ObjectRequest(method: .POST, path: Self.leases(in: lease.namespace), body: lease.json), timeout: timeout, maximumSize: 1 << 20))
    }

    /// Replaces `lease`, its resourceVersion a precondition: 409 (`.status`) when another writer came first.
    public func update(_ lease: Lease, timeout: Duration) async throws(KubeRequestFailure) -> Lease {
        try Self.lease(await send(
            ObjectRequest(method: .PUT, path: Self.leases(in: lease.namespace) + "/" + lease.name, body: lease.json), timeout: timeout,
            maximumSize: 1 << 20))
    }

    /// Deletes the lease if it is still at `resourceVersion` (a precondition): 409 (`.status`)
    /// when it changed, 404 when it is gone already.
    public func deleteLease(namespace: String, name: String, resourceVersion: String?, timeout: Duration) async throws(KubeRequestFailure) {
        var options: [String: Any] = ["apiVersion": "v1", "kind": "DeleteOptions"]
        if let resourceVersion { options["preconditions"] = ["resourceVersion": resourceVersion] }
        let body = Array(try! JSONSerialization.data(withJSONObject: options, options: [.sortedKeys]))
        _ = try await send(ObjectRequest(method: .DELETE, path: Self.leases(in: namespace) + "/" + name, body: body), timeout: timeout, maximumSize: 1 << 20)
    }

    /// Every Lease of `namespace` (shards: the member Leases are among them).
    public func leases(namespace: String, timeout: Duration) async throws(KubeRequestFailure) -> [Lease] {
        let body = try await send(ObjectRequest(method: .GET, path: Self.leases(in: namespace)), timeout: timeout, maximumSize: 16 << 20)
        guard let list = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let items = list["items"] as? [[String: Any]] else {
            throw .malformed("not a LeaseList")
        }
        return items.compactMap(Lease.init(object:))
    }

    private static func lease(_ body: [UInt8]) throws(KubeRequestFailure) -> Lease {
        guard let lease = Lease(json: body) else { throw .malformed("not a Lease") }
        return lease
    }
}
