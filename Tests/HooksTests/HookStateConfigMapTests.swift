import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import Testing

/// Hook state in ConfigMaps (`kubelua run` with a cluster), against the fake API server over
/// real HTTP: a restart brings it back, a conflict is written over, a refused write is retried.
@Suite(.timeLimit(.minutes(1)))
struct HookStateConfigMapTests {
    @Test func aRestartReadsTheConfigMapBackAndAConflictIsWrittenOver() async throws {
        let server = FakeAPIServer()
        try await server.start()
        let folder = try HooksFolder(["default/memory.lua": HookStateDaemonTests.hook])
        try server.createPod(name: "a", phase: "Running")
        try server.createPod(name: "b")
        let inCluster: @Sendable (KubeClient, String) -> any HookStateBackend = { ConfigMapStateBackend(client: $0, namespace: "default", hook: $1) }

        _ = try await HookStateDaemonTests.run(server: server, folder: folder, state: inCluster) { _, lines in
            #expect(await lines.through("phase b nil Pending") == ["start false seen=nil", "phase a nil Running", "phase b nil Pending"])
            // Someone else wrote the ConfigMap meanwhile: the next write gets a 409.
            _ = server.refuse("update", "configmaps", namespace: "default", code: 409, .next)
            try server.setPhase(name: "b", "Running")
            #expect(await lines.through("phase b Pending Running") == ["phase b Pending Running"])
        }
        #expect(server.pendingFaults.isEmpty, "the conflict was met")
        var documents: [HookStatePart: String] = [:]
        for part in [HookStatePart.values, .phases(shard: 0)] {
            let stored = try #require(server.object(.configMaps, namespace: "default", name: part.name(for: "default/memory.lua")))
            let metadata = stored["metadata"] as? [String: Any]
            #expect((metadata?["labels"] as? [String: String])?["kubelua.io/state"] == "true")
            #expect((metadata?["annotations"] as? [String: String])?["kubelua.io/hook"] == "default/memory.lua")
            documents[part] = (stored["data"] as? [String: String])?["state.json"]
        }
        #expect(documents[.values] == #"{"phaseShards":1,"values":{"seen":2}}"#)
        // b is remembered Running, in its namespace, by its UID.
        let uid = try #require(server.pod(name: "b")?.uid)
        #expect(documents[.phases(shard: 0)]?.contains(#""\#(uid)":"Rb""#) == true, "\(documents)")

        try server.setPhase(name: "a", "Succeeded")
        let output = try await HookStateDaemonTests.run(server: server, folder: folder, state: inCluster) { _, lines in
            #expect(await lines.through("phase a Running Succeeded") == ["start false seen=2", "phase a Running Succeeded"])
        }
        #expect(!output.texts.contains { $0.hasPrefix("phase b") })
        #expect(output.failures.isEmpty)
        try await server.shutdown()
    }

    @Test func aRefusedWriteIsAnErrorAndTheNextFlushWritesIt() async throws {
        let server = FakeAPIServer()
        try await server.start()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let store = HookStateStore(hook: "default/h.lua", backend: ConfigMapStateBackend(client: client, namespace: "default", hook: "default/h.lua"))
        #expect(try await store.load())
        _ = store.set("k", Array("1".utf8))
        _ = server.refuse("create", "configmaps", namespace: "default", code: 403, .next)
        let refused = await store.flush()
        #expect("\(refused.map { "\($0)" } ?? "")".contains("403"))
        #expect(store.isDirty)
        #expect(await store.flush() == nil)
        #expect(server.object(.configMaps, namespace: "default", name: HookStatePart.values.name(for: "default/h.lua")) != nil)
        try await client.shutdown()
        try await server.shutdown()
    }
}
