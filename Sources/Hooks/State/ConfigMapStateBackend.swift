import Foundation
import Kube
import Synchronization

/// A hook's state in a ConfigMap of the state namespace (`kubelua run` with a cluster):
/// `kubelua-state-<hash of the hook path>`, labelled `kubelua.io/state=true` and annotated with
/// the hook's path, the document in its `state.json` key. Writes carry the resourceVersion last
/// seen: on a 409 (another writer, or a version from before a restart) it reads the current
/// version and writes this hook's state again over it, since this process holds the hook's
/// state whole; nothing is written twice, nothing lost.
public final class ConfigMapStateBackend: HookStateBackend {
    public let namespace: String
    public let name: String
    let hook: String
    let client: KubeClient
    private let resourceVersion = Mutex<String?>(nil)

    public static let label = "kubelua.io/state"
    public static let hookAnnotation = "kubelua.io/hook"
    static let key = "state.json"

    public init(client: KubeClient, namespace: String, hook: String) {
        self.client = client
        self.namespace = namespace
        self.hook = hook
        name = FileStateBackend.name(for: hook)
    }

    public var persists: Bool { true }

    private var collection: String { "/api/v1/namespaces/\(namespace)/configmaps" }

    public func read() async throws -> [UInt8]? {
        let body: [UInt8]
        do {
            body = try await client.send(ObjectRequest(method: .GET, path: collection + "/" + name), timeout: .seconds(30), maximumSize: 4 << 20)
        } catch {
            if case .status(let status) = error, status.code == 404 { return nil }
            throw HookStateError("cannot read ConfigMap \(namespace)/\(name): \(error)")
        }
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        let metadata = object?["metadata"] as? [String: Any]
        resourceVersion.withLock { $0 = metadata?["resourceVersion"] as? String }
        return ((object?["data"] as? [String: Any])?[Self.key] as? String).map { Array($0.utf8) }
    }

    public func write(_ document: [UInt8]) async throws {
        for _ in 0..<3 {
            let version = resourceVersion.withLock { $0 }
            let request = version == nil
                ? ObjectRequest(method: .POST, path: collection, body: body(document, resourceVersion: nil))
                : ObjectRequest(method: .PUT, path: collection + "/" + name, body: body(document, resourceVersion: version))
            do {
                let answer = try await client.send(request, timeout: .seconds(30), maximumSize: 4 << 20)
                let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any]
                resourceVersion.withLock { $0 = (object?["metadata"] as? [String: Any])?["resourceVersion"] as? String }
                return
            } catch {
                // A conflict, or a ConfigMap that exists already: learn its version, then write over it.
                guard case .status(let status) = error, status.code == 409 else {
                    throw HookStateError("cannot write ConfigMap \(namespace)/\(name): \(error)")
                }
                _ = try await read()
            }
        }
        throw HookStateError("cannot write ConfigMap \(namespace)/\(name): it kept changing under us (409 three times)")
    }

    private func body(_ document: [UInt8], resourceVersion: String?) -> [UInt8] {
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
