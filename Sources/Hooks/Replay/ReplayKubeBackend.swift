import Foundation
import Kube
import Selectors

/// `kube` calls in `kubelua replay`: no cluster is contacted. Reads of pods see the replayed
/// world (the replay's cache); reads of other kinds are answered from the object files given
/// with `--objects`, and otherwise fail with reason `offline`. Writes change nothing: each is
/// printed as one deterministic `ACTION` line and succeeds. Every call is kept for `kubelua rbac`.
public actor ReplayKubeBackend: KubeBackend {
    let cache: PodCache
    let objects: ReplayObjects
    let printAction: @Sendable (String) -> Void
    /// Every call made, in order.
    public private(set) var calls: [KubeCall] = []

    public init(cache: PodCache, objects: ReplayObjects = ReplayObjects(), printAction: @escaping @Sendable (String) -> Void) {
        self.cache = cache
        self.objects = objects
        self.printAction = printAction
    }

    public func perform(_ call: KubeCall, secondsLeft: Double?) async -> KubeOutcome {
        calls.append(call)
        if call.verb.writes {
            printAction(Self.actionLine(call))
            return .object(JSONObjects.bytes(writeResult(call)))
        }
        return read(call)
    }

    private func read(_ call: KubeCall) -> KubeOutcome {
        let group = GroupVersion(call.apiVersion).group
        let isPod = group.isEmpty && call.kind == "Pod"
        if call.verb == .get, let name = call.name {
            if isPod, let namespace = call.namespace, let pod = cache.pod(PodKey(namespace: namespace, name: name)) { return .object(Array(pod.json)) }
            if let object = objects.object(group: group, kind: call.kind, namespace: call.namespace, name: name) { return .object(object) }
            guard isPod || objects.kinds.contains(call.kind) else { return offline(call) }
            return .failure(KubeFailure(status: 404, reason: "NotFound", message: "\(KindNames.resource(of: call.kind)) \"\(name)\" not found"))
        }
        let labels = (try? LabelSelector(parsing: call.labelSelector ?? "")) ?? LabelSelector()
        var items: [[String: Any]]
        if isPod {
            items = cache.pods(namespace: call.namespace, labels: labels).compactMap { JSONObjects.object(Array($0.json)) }
        } else {
            guard objects.kinds.contains(call.kind) else { return offline(call) }
            items = objects.list(group: group, kind: call.kind, namespace: call.namespace, labels: labels)
                .compactMap(JSONObjects.object)
        }
        if let limit = call.limit, limit > 0 { items = Array(items.prefix(limit)) }
        return .object(JSONObjects.bytes(["apiVersion": call.apiVersion, "kind": call.kind + "List", "metadata": [:] as [String: Any], "items": items]))
    }

    private func offline(_ call: KubeCall) -> KubeOutcome {
        .failure(KubeFailure(
            status: 0, reason: "offline",
            message: "replay does not contact a cluster: give \(call.kind) objects with --objects FILE (kubectl get \(KindNames.resource(of: call.kind)) -o json)"))
    }

    /// What a write answers offline: the object created, the object patched as it was, a Status.
    private func writeResult(_ call: KubeCall) -> [String: Any] {
        switch call.verb {
        case .create:
            return (call.body.flatMap(JSONObjects.object)) ?? [:]
        case .patch:
            if GroupVersion(call.apiVersion).group.isEmpty, call.kind == "Pod", let namespace = call.namespace, let name = call.name,
                let pod = cache.pod(PodKey(namespace: namespace, name: name)),
                let object = JSONObjects.object(Array(pod.json))
            {
                return object
            }
            return objects.object(group: GroupVersion(call.apiVersion).group, kind: call.kind, namespace: call.namespace, name: call.name ?? "")
                .flatMap(JSONObjects.object)
                ?? ["apiVersion": call.apiVersion, "kind": call.kind, "metadata": ["name": call.name ?? "", "namespace": call.namespace ?? ""]]
        default:
            return ["apiVersion": "v1", "kind": "Status", "status": "Success"]
        }
    }

    /// `ACTION delete v1/pods default/busybox uid=... (hook default/cleanup.lua)`: the same
    /// call always prints the same line (bodies with their keys sorted).
    static func actionLine(_ call: KubeCall) -> String {
        let resource = KindNames.resource(of: call.kind)
        if call.verb == .create, call.kind == "Event", let body = call.body.flatMap(JSONObjects.object) {
            let regarding = (body["regarding"] ?? body["involvedObject"]) as? [String: Any] ?? [:]
            let target = [regarding["namespace"] as? String, regarding["name"] as? String].compactMap { $0 }.joined(separator: "/")
            return "ACTION event \(body["type"] as? String ?? "") \(body["reason"] as? String ?? "") regarding \(regarding["kind"] as? String ?? "") \(target): "
                + "\((body["note"] ?? body["message"]) as? String ?? "") (hook \(call.hook))"
        }
        var name = call.name
        if call.verb == .create, let body = call.body.flatMap(JSONObjects.object),
            let metadata = body["metadata"] as? [String: Any]
        {
            name = metadata["name"] as? String ?? (metadata["generateName"] as? String).map { $0 + "*" }
        }
        var line = "ACTION \(call.verb.rawValue) \(call.apiVersion)/\(resource) \([call.namespace, name].compactMap { $0 }.joined(separator: "/"))"
        if let uid = call.uid { line += " uid=\(uid)" }
        if let grace = call.gracePeriodSeconds { line += " grace_period=\(grace)" }
        if let propagation = call.propagationPolicy { line += " propagation=\(propagation)" }
        if call.verb == .patch, let body = call.body {
            line += " \(call.patchType?.rawValue ?? "merge") " + JSONObjects.canonical(body)
        }
        return line + " (hook \(call.hook))"
    }

}

/// The objects `--objects` files give replay: any kind, keyed by group, kind, namespace and name.
public struct ReplayObjects: Sendable {
    struct Key: Hashable {
        var group: String
        var kind: String
        var namespace: String?
        var name: String
    }

    private var objects: [Key: (json: [UInt8], labels: [String: String])] = [:]
    /// The kinds some file gave: reads of other kinds are offline.
    public private(set) var kinds: Set<String> = []

    public init() {}

    /// Adds the objects of a file: a list (`kubectl get jobs -o json`) or one object.
    public mutating func load(file path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReplayObjectsError(message: "\(path): cannot read the file: \((error as NSError).localizedDescription)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReplayObjectsError(message: "\(path): not a JSON object or list (kubectl get KIND -o json)")
        }
        for (index, item) in ((root["items"] as? [[String: Any]]) ?? [root]).enumerated() {
            guard let kind = item["kind"] as? String, let metadata = item["metadata"] as? [String: Any], let name = metadata["name"] as? String else {
                throw ReplayObjectsError(message: "\(path): item \(index + 1) has no kind or metadata.name")
            }
            let group = GroupVersion(item["apiVersion"] as? String ?? "v1").group
            let key = Key(group: group, kind: kind, namespace: metadata["namespace"] as? String, name: name)
            objects[key] = (JSONObjects.bytes(item), metadata["labels"] as? [String: String] ?? [:])
            kinds.insert(kind)
        }
    }

    func object(group: String, kind: String, namespace: String?, name: String) -> [UInt8]? {
        objects[Key(group: group, kind: kind, namespace: namespace, name: name)]?.json
    }

    /// The objects of a kind, in `namespace` (nil: all) and matching `labels`, sorted by namespace and name.
    func list(group: String, kind: String, namespace: String?, labels: LabelSelector) -> [[UInt8]] {
        objects.filter { $0.key.group == group && $0.key.kind == kind && (namespace == nil || $0.key.namespace == namespace) && labels.matches($0.value.labels) }
            .sorted { ($0.key.namespace ?? "", $0.key.name) < ($1.key.namespace ?? "", $1.key.name) }
            .map(\.value.json)
    }
}

/// An `--objects` file that cannot be used.
public struct ReplayObjectsError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
