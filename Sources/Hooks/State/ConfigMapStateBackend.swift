import Foundation
import Kube
import Synchronization

/// A hook's state in ConfigMaps of the state namespace (`kubelua run` with a cluster), one per
/// part: `kubelua-state-<hash of the hook path>` for the values and
/// `kubelua-state-<hash>-phases-<shard>` for each shard of phase memory, all labelled
/// `kubelua.io/state=true` and annotated with the hook's path, the document in their
/// `state.json` key. Each write carries the resourceVersion last seen of its ConfigMap: on a 409
/// (another writer, or a version from before a restart) it reads that ConfigMap's current
/// version and writes this hook's part again over it, since this process holds the hook's state
/// whole; nothing is written twice, nothing lost.
public final class ConfigMapStateBackend: HookStateBackend {
    public let namespace: String
    let hook: String
    let client: KubeClient
    private let resourceVersions = Mutex<[HookStatePart: String]>([:])

    public static let label = "kubelua.io/state"
    public static let hookAnnotation = "kubelua.io/hook"
    static let key = "state.json"

    public init(client: KubeClient, namespace: String, hook: String) {
        self.client = client
        self.namespace = namespace
        self.hook = hook
    }

    public var persists: Bool { true }

    private var collection: String { "/api/v1/namespaces/\(namespace)/configmaps" }

    public func read(_ part: HookStatePart) async throws -> [UInt8]? {
        let name = part.name(for: hook)
        let body: [UInt8]
        do {
            body = try await client.send(ObjectRequest(method: .GET, path: collection + "/" + name), timeout: .seconds(30), maximumSize: 4 << 20)
        } catch {
            if case .status(let status) = error, status.code == 404 {
                resourceVersions.withLock { $0[part] = nil }
                return nil
            }
            throw HookStateError("cannot read ConfigMap \(namespace)/\(name): \(error)")
        }
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        learnVersion(of: part, from: object)
        return ((object?["data"] as? [String: Any])?[Self.key] as? String).map { Array($0.utf8) }
    }

    public func write(_ part: HookStatePart, _ document: [UInt8]) async throws {
        let name = part.name(for: hook)
        for _ in 0..<3 {
            let version = resourceVersions.withLock { $0[part] }
            let request = version == nil
                ? ObjectRequest(method: .POST, path: collection, body: body(name, document, resourceVersion: nil))
                : ObjectRequest(method: .PUT, path: collection + "/" + name, body: body(name, document, resourceVersion: version))
            do {
                let answer = try await client.send(request, timeout: .seconds(30), maximumSize: 4 << 20)
                learnVersion(of: part, from: try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any])
                return
            } catch {
                // A conflict, or a ConfigMap that exists already: learn its version, then write over it.
                guard case .status(let status) = error, status.code == 409 else {
                    throw HookStateError("cannot write ConfigMap \(namespace)/\(name): \(error)")
                }
                _ = try await read(part)
            }
        }
        throw HookStateError("cannot write ConfigMap \(namespace)/\(name): it kept changing under us (409 three times)")
    }

    private func learnVersion(of part: HookStatePart, from object: [String: Any]?) {
        let version = (object?["metadata"] as? [String: Any])?["resourceVersion"] as? String
        resourceVersions.withLock { $0[part] = version }
    }

    private func body(_ name: String, _ document: [UInt8], resourceVersion: String?) -> [UInt8] {
        var metadata: [String: Any] = [
            "name": name, "namespace": namespace, "labels": [Self.label: "true"], "annotations": [Self.hookAnnotation: hook],
        ]
        if let resourceVersion { metadata["resourceVersion"] = resourceVersion }
        let object: [String: Any] = [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": [Self.key: String(decoding: document, as: UTF8.self)],
        ]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
