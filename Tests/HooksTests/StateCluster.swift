import FakeAPIServer
import Foundation
@testable import Hooks
import Kube
import Logging
import Testing

/// A fake API server keeping one hook's state in ConfigMaps, a client of it, and pods numbered
/// for tests of phase memory: what each remembers, how its ConfigMaps were written.
struct StateCluster {
    static let hook = "default/memory.lua"

    let server: FakeAPIServer
    let client: KubeClient

    static func start() async throws -> StateCluster {
        let server = FakeAPIServer()
        try await server.start()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        return StateCluster(server: server, client: try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger))
    }

    func shutdown() async throws {
        try await client.shutdown()
        try await server.shutdown()
    }

    // MARK: Pods

    /// Pod `index`'s name, shaped as a Deployment's ReplicaSet names pods
    /// (`web-<template hash>-<suffix>`), so that the bytes per pod measured are those of real names.
    static func podName(_ index: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var value = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        let letters = (0..<15).map { _ in
            defer { value /= UInt64(alphabet.count) }
            return alphabet[Int(value % UInt64(alphabet.count))]
        }
        return ["web", "api", "worker", "cache"][index % 4] + "-" + String(letters[5...]) + "-" + String(letters[..<5])
    }

    /// Pod `index`'s UID, as long as the API server's.
    static func uid(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        return "8c3f21d0-5b7e-4e2a-9f6c-" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// The phase `remember` gives pod `index`: every third Running, the rest Pending.
    static func phase(_ index: Int) -> String { index % 3 == 0 ? "Running" : "Pending" }

    /// What the store needs of a pod to remember it.
    static func pod(_ index: Int) -> PodRecord {
        PodRecord(key: PodKey(namespace: "default", name: podName(index)), uid: uid(index), resourceVersion: "", phase: nil, json: [])
    }

    /// Remembers pods `range` in their `phase` and writes them.
    static func remember(_ range: Range<Int>, in store: HookStateStore) async throws {
        for index in range { store.remember(pod(index), phase: phase(index)) }
        if let error = await store.flush() { throw error }
    }

    // MARK: State

    /// A store of the hook's state in the server's ConfigMaps, loaded, as a new process has it.
    func store() async throws -> HookStateStore {
        let store = HookStateStore(hook: Self.hook, backend: ConfigMapStateBackend(client: client, namespace: "default", hook: Self.hook))
        #expect(try await store.load())
        return store
    }

    /// The state ConfigMaps the server holds, by name.
    var configMaps: [String: [String: Any]] {
        var found: [String: [String: Any]] = [:]
        for object in server.objects(.configMaps, namespace: "default") {
            let metadata = object["metadata"] as? [String: Any] ?? [:]
            guard (metadata["labels"] as? [String: String])?["kubelua.io/state"] == "true" else { continue }
            found[metadata["name"] as? String ?? ""] = object
        }
        return found
    }

    static func document(_ object: [String: Any]?) -> String { (object?["data"] as? [String: String])?["state.json"] ?? "" }

    /// The name of the shard pod `index` is in, by the number of shards stored.
    func shard(of index: Int) -> String {
        HookStatePart.phases(shard: PhaseMemory(shardCount: configMaps.count - 1).shard(of: Self.uid(index))).name(for: Self.hook)
    }

    /// The ConfigMap requests made since request `since`: `verb name`, in order (a create
    /// names none: its object is in the body).
    func requests(since: Int) -> [String] {
        server.requests.dropFirst(since).filter { $0.path.contains("/configmaps") }
            .map { $0.kind == .create ? "create" : "\($0.kind) \($0.path.split(separator: "/").last!)" }
    }

    /// The API server's limits: a ConfigMap's data (keys and values) holds at most 1 MiB, and
    /// the object as stored stays under it too (etcd refuses requests past 1.5 MiB).
    static func expectEachUnderOneMebibyte(_ configMaps: [String: [String: Any]]) throws {
        for (name, object) in configMaps {
            let data = (object["data"] as? [String: String] ?? [:]).reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            #expect(data <= 1 << 20, "\(name): \(data) bytes of data")
            let size = try JSONSerialization.data(withJSONObject: object).count
            #expect(size <= 1 << 20, "\(name): \(size) bytes stored")
        }
    }
}
