import Foundation
import NIOHTTP1

/// Finds the resource behind an apiVersion and kind, as kubectl does: from the API server's
/// discovery documents (`/api/v1`, `/apis/GROUP/VERSION`), cached per group version and fetched
/// again when a kind is not in the cached list (a CRD installed since, a server upgraded).
public actor APIDiscovery {
    let client: KubeClient
    private var lists: [GroupVersion: [APIResource]] = [:]
    /// Discovery requests made: what tests and metrics look at.
    public private(set) var fetches = 0

    public init(client: KubeClient) {
        self.client = client
    }

    /// The resource serving `kind` in `apiVersion`; a 404 Status when there is none.
    public func resource(apiVersion: String, kind: String, timeout: Duration) async throws(KubeRequestFailure) -> APIResource {
        let groupVersion = GroupVersion(apiVersion)
        if let cached = lists[groupVersion]?.first(where: { $0.kind == kind }) { return cached }
        let unknown = APIStatus(code: 404, reason: "NotFound", message: "the server does not know kind \(kind) in \(groupVersion) (API discovery)")
        let resources: [APIResource]
        do {
            resources = try await fetch(groupVersion, timeout: timeout)
        } catch .status(let status) where status.code == 404 {
            // The whole group version is unknown (a CRD not installed): say so, not a bare 404
            // that reads as "the object does not exist".
            var missing = unknown
            missing.message += ": it serves no \(groupVersion) at all"
            throw .status(missing)
        }
        guard let found = resources.first(where: { $0.kind == kind }) else { throw .status(unknown) }
        return found
    }

    /// The resource named `name` (plural, as in RBAC rules) in `apiVersion`.
    public func resource(apiVersion: String, name: String, timeout: Duration) async throws(KubeRequestFailure) -> APIResource {
        let groupVersion = GroupVersion(apiVersion)
        if let cached = lists[groupVersion]?.first(where: { $0.name == name }) { return cached }
        guard let found = try await fetch(groupVersion, timeout: timeout).first(where: { $0.name == name }) else {
            throw .status(APIStatus(code: 404, reason: "NotFound", message: "the server has no resource \(name) in \(groupVersion) (API discovery)"))
        }
        return found
    }

    private func fetch(_ groupVersion: GroupVersion, timeout: Duration) async throws(KubeRequestFailure) -> [APIResource] {
        fetches += 1
        let body = try await client.send(ObjectRequest(method: .GET, path: groupVersion.path), timeout: timeout, maximumSize: 4 << 20)
        let resources = try Self.parse(body, groupVersion: groupVersion)
        lists[groupVersion] = resources
        return resources
    }

    /// Reads an APIResourceList; subresources (`pods/eviction`) are left out: they are reached
    /// through their parent.
    static func parse(_ body: [UInt8], groupVersion: GroupVersion) throws(KubeRequestFailure) -> [APIResource] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let items = list["resources"] as? [[String: Any]]
        else { throw .malformed("discovery document of \(groupVersion) is not an APIResourceList") }
        return items.compactMap { item in
            guard let name = item["name"] as? String, !name.contains("/"), let kind = item["kind"] as? String else { return nil }
            return APIResource(
                groupVersion: groupVersion, name: name, kind: kind, namespaced: item["namespaced"] as? Bool ?? true,
                verbs: item["verbs"] as? [String] ?? [])
        }
    }
}
