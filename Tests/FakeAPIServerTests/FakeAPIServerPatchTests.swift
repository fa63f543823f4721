import FakeAPIServer
import Foundation
import Testing

/// PATCH of pods in the three patch types, and `dryRun=All`, over HTTP.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerPatchTests {
    private let podPath = "/api/v1/namespaces/default/pods/web"

    /// A pod with two containers, labels and annotations.
    private func seed(_ server: FakeAPIServer) throws {
        try server.create([
            "metadata": ["name": "web", "namespace": "default",
                         "labels": ["app.kubernetes.io/name": "web", "tier": "front"],
                         "annotations": ["note": "old"]],
            "spec": ["containers": [
                ["name": "app", "image": "nginx:1.26", "env": [["name": "A", "value": "1"]]],
                ["name": "sidecar", "image": "envoy:1"],
            ]],
        ])
    }

    private func containers(_ object: [String: Any]) -> [[String: Any]] {
        (object["spec"] as? [String: Any])?["containers"] as? [[String: Any]] ?? []
    }

    @Test func mergePatchChangesLabelsAndReachesWatches() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=\(server.currentResourceVersion)")
            let response = try await client.send("PATCH", podPath, body: ["metadata": ["labels": ["tier": NSNull(), "new": "yes"]]],
                                                 contentType: "application/merge-patch+json")
            #expect(response.status == 200)
            #expect(server.pod(name: "web")?.labels == ["app.kubernetes.io/name": "web", "new": "yes"])
            let lines = await watch.lines(1)
            watch.close()
            #expect(lines.map(\.type) == ["MODIFIED"])
        }
    }

    @Test func jsonPatchWithEscapedPathsAndTest() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            let operations: [[String: Any]] = [
                ["op": "test", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "web"],
                ["op": "replace", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "web2"],
                ["op": "add", "path": "/metadata/annotations/example.com~1owner", "value": "team-a"],
                ["op": "remove", "path": "/metadata/labels/tier"],
                ["op": "replace", "path": "/spec/containers/1/image", "value": "envoy:2"],
                ["op": "add", "path": "/spec/containers/-", "value": ["name": "third", "image": "busybox"]],
            ]
            let response = try await client.send("PATCH", podPath, body: operations, contentType: "application/json-patch+json")
            #expect(response.status == 200, "\(response.text)")
            let pod = try #require(server.pod(name: "web")).object
            #expect(metadata(pod)["labels"] as? [String: String] == ["app.kubernetes.io/name": "web2"])
            #expect(metadata(pod)["annotations"] as? [String: String] == ["note": "old", "example.com/owner": "team-a"])
            #expect(containers(pod).map { $0["image"] as? String } == ["nginx:1.26", "envoy:2", "busybox"])

            let versionBefore = server.pod(name: "web")?.resourceVersion
            let failing: [[String: Any]] = [
                ["op": "replace", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "web3"],
                ["op": "test", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "web"],
            ]
            let refused = try await client.send("PATCH", podPath, body: failing, contentType: "application/json-patch+json")
            #expect(refused.status == 422)
            #expect(refused.json["kind"] as? String == "Status")
            // All or nothing: the replace before the failed test did not happen.
            #expect(server.pod(name: "web")?.labels["app.kubernetes.io/name"] == "web2")
            #expect(server.pod(name: "web")?.resourceVersion == versionBefore)

            let missing = try await client.send("PATCH", podPath, body: [["op": "remove", "path": "/metadata/labels/nope"]],
                                                contentType: "application/json-patch+json")
            #expect(missing.status == 422)
        }
    }

    @Test func strategicMergePatchMergesContainersByName() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            let patch: [String: Any] = [
                "metadata": ["labels": ["tier": "back"], "annotations": ["note": NSNull()]],
                "spec": ["containers": [["name": "sidecar", "image": "envoy:2"],
                                        ["name": "app", "env": [["name": "B", "value": "2"]]]]],
            ]
            let response = try await client.send("PATCH", podPath, body: patch, contentType: "application/strategic-merge-patch+json")
            #expect(response.status == 200, "\(response.text)")
            let pod = try #require(server.pod(name: "web")).object
            #expect(metadata(pod)["labels"] as? [String: String] == ["app.kubernetes.io/name": "web", "tier": "back"])
            #expect(metadata(pod)["annotations"] == nil || (metadata(pod)["annotations"] as? [String: Any])?.isEmpty == true)
            let byName = Dictionary(uniqueKeysWithValues: containers(pod).map { ($0["name"] as! String, $0) })
            #expect(containers(pod).map { $0["name"] as? String } == ["app", "sidecar"])
            #expect(byName["sidecar"]?["image"] as? String == "envoy:2")
            #expect(byName["app"]?["image"] as? String == "nginx:1.26")
            #expect((byName["app"]?["env"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["A", "B"])

            let deletion: [String: Any] = ["spec": ["containers": [["name": "sidecar", "$patch": "delete"]]]]
            let deleted = try await client.send("PATCH", podPath, body: deletion, contentType: "application/strategic-merge-patch+json")
            #expect(deleted.status == 200)
            #expect(containers(try #require(server.pod(name: "web")).object).map { $0["name"] as? String } == ["app"])
        }
    }

    @Test func unknownPatchTypeIs415() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            let response = try await client.send("PATCH", podPath, body: ["a": 1], contentType: "application/apply-patch+yaml")
            #expect(response.status == 415)
            #expect(response.json["reason"] as? String == "UnsupportedMediaType")
        }
    }

    @Test func dryRunAnswersWithoutChangingAnything() async throws {
        try await withFakeServer { server, client in
            try seed(server)
            try server.createObject(.jobs, ["metadata": ["name": "job", "namespace": "default"]])
            let version = server.currentResourceVersion
            let before = try #require(server.pod(name: "web")).json
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=\(version)")

            let created = try await client.send("POST", "/api/v1/namespaces/default/pods?dryRun=All",
                                                json: ["metadata": ["name": "ghost"], "spec": ["containers": [["name": "c", "image": "x"]]]])
            #expect(created.status == 201)
            #expect(metadata(created.json)["name"] as? String == "ghost")
            #expect(metadata(created.json)["uid"] is String)
            #expect(server.pod(name: "ghost") == nil)

            let patched = try await client.send("PATCH", podPath + "?dryRun=All", body: ["metadata": ["labels": ["dry": "run"]]],
                                                contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect((metadata(patched.json)["labels"] as? [String: String])?["dry"] == "run")
            #expect(metadata(patched.json)["resourceVersion"] as? String == server.pod(name: "web")?.resourceVersion)

            var replacement = try #require(server.pod(name: "web")).object
            replacement["spec"] = ["containers": [["name": "only", "image": "x"]]]
            #expect(try await client.send("PUT", podPath + "?dryRun=All", json: replacement).status == 200)

            let deleted = try await client.send("DELETE", podPath + "?dryRun=All", json: [:])
            #expect(deleted.status == 200)
            let deleteBody = try await client.send("DELETE", podPath, json: ["kind": "DeleteOptions", "apiVersion": "v1", "dryRun": ["All"]])
            #expect(deleteBody.status == 200)
            let jobDeleted = try await client.send("DELETE", "/apis/batch/v1/namespaces/default/jobs/job?dryRun=All", json: [:])
            #expect(jobDeleted.status == 200)
            let jobCreated = try await client.send("POST", "/apis/batch/v1/namespaces/default/jobs?dryRun=All",
                                                   json: ["metadata": ["name": "job2"]])
            #expect(jobCreated.status == 201)
            let evicted = try await client.send("POST", podPath + "/eviction?dryRun=All",
                                                json: ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "web"]])
            #expect(evicted.status == 201)

            #expect(server.currentResourceVersion == version)
            #expect(try #require(server.pod(name: "web")).json == before)
            #expect(server.object(.jobs, name: "job") != nil)
            #expect(server.object(.jobs, name: "job2") == nil)
            #expect(server.deletions.map(\.dryRun) == [true, true, true, true])

            // A real change afterwards is the first event the watch sees.
            try server.setLabels(name: "web", ["after": "dry"])
            let lines = await watch.lines(1)
            watch.close()
            #expect(lines.map(\.type) == ["MODIFIED"])
            #expect(lines.first?.resourceVersion == server.pod(name: "web")?.resourceVersion)

            let invalid = try await client.send("DELETE", podPath + "?dryRun=Some", json: [:])
            #expect(invalid.status == 400)
        }
    }
}
