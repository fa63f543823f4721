import FakeAPIServer
import Foundation
import Hooks
import Kube
import Testing

/// `hook = { reads = {...} }` through the daemon, over real HTTP against the fake API server:
/// each hook sees exactly what it declared, the cache keeps only the union of what the hooks of
/// a watch read (and what kubelua reads itself), and a reload that widens it relists first.
@Suite(.timeLimit(.minutes(1)))
struct HookReadsDaemonTests {
    /// A pod with the parts hooks may or may not declare: labels, managedFields, a node, a
    /// container, a phase and a container status.
    static func createPod(_ server: FakeAPIServer) throws {
        try server.create([
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": "p", "namespace": "default", "labels": ["app": "web"],
                "managedFields": [["manager": "kubectl", "operation": "Update", "fieldsV1": ["f:metadata": [:]]]],
            ],
            "spec": ["nodeName": "node-1", "restartPolicy": "Always", "containers": [["name": "main", "image": "busybox"]]],
            "status": ["phase": "Pending", "containerStatuses": [["name": "main", "restartCount": 2]]],
        ])
    }

    /// The cached pod's JSON, decoded.
    static func cached(_ runtime: HookRuntime) throws -> [String: Any] {
        let pod = try #require(runtime.cache.pod(PodKey(namespace: "default", name: "p")))
        return try #require(try JSONSerialization.jsonObject(with: Data(pod.json)) as? [String: Any])
    }

    static func keys(_ value: Any?) -> [String] { ((value as? [String: Any])?.keys).map { $0.sorted() } ?? [] }

    @Test func eachHookSeesWhatItDeclaredAndTheCacheKeepsTheUnion() async throws {
        let setup = try await ObservedDaemon(hooks: [
            "default/a.lua": """
                hook = { reads = { "metadata", "status.phase" } }
                function on_add(pod)
                  print("a", tostring(pod.spec), pod.status.phase, tostring(pod.status.containerStatuses),
                        pod.metadata.labels.app, tostring(pod.metadata.managedFields), tostring(pod.kind))
                end
                """,
            "default/b.lua": """
                hook = { reads = { "spec.nodeName", "metadata.managedFields" }, fields = "spec.restartPolicy=Always" }
                function on_add(pod)
                  print("b", pod.metadata.name, pod.spec.nodeName, tostring(pod.spec.containers), tostring(pod.status),
                        tostring(pod.metadata.labels), pod.metadata.managedFields[1].manager)
                end
                """,
        ])
        try Self.createPod(setup.server)
        try await setup.runAfterSync { _ in
            #expect(Set(setup.output.texts) == [
                "a\tnil\tPending\tnil\tweb\tnil\tnil",
                "b\tp\tnode-1\tnil\tnil\tnil\tkubectl",
            ])
            // What a declared (metadata, status.phase; spec.nodeName, managedFields), what
            // kubelua reads (identity, labels, version, phase) and b's field selector compares.
            let pod = try Self.cached(setup.runtime)
            #expect(Self.keys(pod) == ["metadata", "spec", "status"])
            #expect(Self.keys(pod["spec"]) == ["nodeName", "restartPolicy"])
            #expect(Self.keys(pod["status"]) == ["phase"])
            #expect(Self.keys(pod["metadata"]).contains("managedFields"))
            let full = try #require(setup.server.pod(name: "p"))
            #expect(try #require(setup.runtime.cache.pod(PodKey(namespace: "default", name: "p"))).json.count < full.json.count)
        }
        try await setup.shutdown()
    }

    @Test func aHookThatDeclaresNothingSeesTheWholePodAndItsReloadRelistsBeforeItStarts() async throws {
        let setup = try await ObservedDaemon(hooks: [
            "default/a.lua": """
                hook = { reads = { "status.phase" } }
                function on_update(old, new) print("a update " .. tostring(new.spec)) end
                """,
        ], followsFolder: true)
        try Self.createPod(setup.server)
        try await setup.runAfterSync { _ in
            #expect(try Self.cached(setup.runtime)["spec"] == nil)
            #expect(setup.server.requests.filter { $0.kind == .list }.count == 1)
            try setup.folder.write("default/c.lua", """
                function on_add(pod)
                  print("c " .. pod.spec.containers[1].image .. " " .. pod.status.containerStatuses[1].restartCount
                        .. " " .. tostring(pod.metadata.managedFields))
                end
                """)
            // c's initial add already sees the whole pod: the watch relisted before c started.
            var lines = setup.output.stream.makeAsyncIterator()
            while let line = await lines.next()?.text, !line.hasPrefix("c ") {}
            #expect(setup.output.texts.last == "c busybox 2 nil")
            #expect(setup.server.requests.filter { $0.kind == .list }.count == 2)
            let pod = try Self.cached(setup.runtime)
            #expect(Self.keys(pod["spec"]).contains("containers"))
            #expect(!Self.keys(pod["metadata"]).contains("managedFields"))
            // a still sees only what it declared.
            try setup.server.setPhase(name: "p", "Running")
            while let line = await lines.next()?.text, line != "a update nil" {}
        }
        try await setup.shutdown()
    }

    @Test func keepingManagedFieldsShowsThemToHooksThatDeclareNothing() async throws {
        let hook = ["default/h.lua": "function on_add(pod) print(tostring(pod.metadata.managedFields and pod.metadata.managedFields[1].manager)) end"]
        for (strip, expected) in [(true, "nil"), (false, "kubectl")] {
            let setup = try await ObservedDaemon(hooks: hook, cache: PodCache(stripManagedFields: strip))
            try Self.createPod(setup.server)
            try await setup.runAfterSync { _ in #expect(setup.output.texts == [expected]) }
            try await setup.shutdown()
        }
    }
}
