import FakeAPIServer
import Foundation
import Testing

/// Discovery, the generic object store (Jobs, ConfigMaps, Nodes, ...) and Events in both
/// groups, over HTTP.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerResourceTests {
    @Test func discoveryListsGroupsAndResources() async throws {
        try await withFakeServer { server, client in
            let (_, api) = try await client.getJSON("/api")
            #expect(api["versions"] as? [String] == ["v1"])

            let (status, core) = try await client.getJSON("/api/v1")
            #expect(status == 200)
            #expect(core["groupVersion"] as? String == "v1")
            let resources = try #require(core["resources"] as? [[String: Any]])
            let byName = Dictionary(resources.map { ($0["name"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
            for name in ["pods", "pods/status", "pods/eviction", "events", "configmaps", "nodes", "namespaces"] {
                #expect(byName[name] != nil, "missing \(name)")
            }
            #expect(byName["pods"]?["namespaced"] as? Bool == true)
            #expect(byName["nodes"]?["namespaced"] as? Bool == false)
            #expect(byName["pods/eviction"]?["verbs"] as? [String] == ["create"])
            #expect(byName["pods/eviction"]?["group"] as? String == "policy")
            #expect(byName["pods/eviction"]?["kind"] as? String == "Eviction")
            #expect((byName["pods"]?["verbs"] as? [String])?.contains("watch") == true)

            let (_, groups) = try await client.getJSON("/apis")
            #expect(groups["kind"] as? String == "APIGroupList")
            let versions = (groups["groups"] as? [[String: Any]] ?? []).map {
                ($0["preferredVersion"] as? [String: Any])?["groupVersion"] as? String ?? ""
            }
            #expect(Set(versions).isSuperset(of: ["batch/v1", "apps/v1", "events.k8s.io/v1", "policy/v1"]))

            let (_, batch) = try await client.getJSON("/apis/batch/v1")
            let batchNames = (batch["resources"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(batchNames.contains("jobs"))
            #expect(batch["groupVersion"] as? String == "batch/v1")
            let (_, group) = try await client.getJSON("/apis/policy")
            #expect(group["kind"] as? String == "APIGroup")
            #expect(group["name"] as? String == "policy")

            let (missing, _) = try await client.getJSON("/apis/example.com/v1")
            #expect(missing == 404)
        }
    }

    @Test func resourceTypesCanAppearAndDisappearAtRunTime() async throws {
        try await withFakeServer { server, client in
            let widgets = ResourceType(group: "example.com", version: "v1", name: "widgets", kind: "Widget")
            #expect(try await client.getJSON("/apis/example.com/v1").0 == 404)
            let beforeCreate = try await client.send("POST", "/apis/example.com/v1/namespaces/default/widgets",
                                                     json: ["metadata": ["name": "w"]])
            #expect(beforeCreate.status == 404)

            server.addResource(widgets)
            let (_, groups) = try await client.getJSON("/apis")
            #expect((groups["groups"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "example.com" })
            let (status, list) = try await client.getJSON("/apis/example.com/v1")
            #expect(status == 200)
            #expect((list["resources"] as? [[String: Any]])?.first?["kind"] as? String == "Widget")
            let created = try await client.send("POST", "/apis/example.com/v1/namespaces/default/widgets",
                                                json: ["metadata": ["name": "w"]])
            #expect(created.status == 201)
            #expect(created.json["kind"] as? String == "Widget")
            #expect(created.json["apiVersion"] as? String == "example.com/v1")

            server.removeResource(widgets)
            #expect(try await client.getJSON("/apis/example.com/v1").0 == 404)
            #expect(try await client.getJSON("/apis/example.com/v1/namespaces/default/widgets/w").0 == 404)
        }
    }

    @Test func jobsAreCreatedListedFetchedAndDeleted() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "p")
            let before = Int(server.currentResourceVersion)!
            let created = try await client.send("POST", "/apis/batch/v1/namespaces/default/jobs", json: [
                "apiVersion": "batch/v1", "kind": "Job",
                "metadata": ["generateName": "backup-", "labels": ["app": "backup"]],
                "spec": ["template": ["spec": ["containers": [["name": "c", "image": "busybox"]]]]],
            ])
            #expect(created.status == 201)
            let meta = metadata(created.json)
            let name = try #require(meta["name"] as? String)
            #expect(name.hasPrefix("backup-") && name.count == "backup-".count + 5)
            #expect(UUID(uuidString: meta["uid"] as? String ?? "") != nil)
            #expect(meta["creationTimestamp"] is String)
            #expect(meta["namespace"] as? String == "default")
            // One counter for every kind: the Job takes the next version after the pod's.
            #expect(meta["resourceVersion"] as? String == String(before + 1))
            #expect(server.currentResourceVersion == String(before + 1))

            try server.createObject(.jobs, ["metadata": ["name": "other", "namespace": "default", "labels": ["app": "x"]]])
            try server.createObject(.jobs, ["metadata": ["name": "elsewhere", "namespace": "shop"]])
            let (status, list) = try await client.getJSON("/apis/batch/v1/namespaces/default/jobs")
            #expect(status == 200)
            #expect(list["kind"] as? String == "JobList")
            #expect(list["apiVersion"] as? String == "batch/v1")
            #expect(itemNames(list) == [name, "other"].sorted())
            #expect(metadata(list)["resourceVersion"] as? String == server.currentResourceVersion)
            let (_, selected) = try await client.getJSON("/apis/batch/v1/namespaces/default/jobs?labelSelector=app%3Dbackup")
            #expect(itemNames(selected) == [name])
            let (_, all) = try await client.getJSON("/apis/batch/v1/jobs")
            #expect(itemNames(all).count == 3)
            let (_, byField) = try await client.getJSON("/apis/batch/v1/jobs?fieldSelector=metadata.namespace%3Dshop")
            #expect(itemNames(byField) == ["elsewhere"])

            let (got, job) = try await client.getJSON("/apis/batch/v1/namespaces/default/jobs/\(name)")
            #expect(got == 200)
            #expect(job["kind"] as? String == "Job")
            #expect(metadata(job)["uid"] as? String == meta["uid"] as? String)

            let deleted = try await client.request("DELETE", "/apis/batch/v1/namespaces/default/jobs/\(name)")
            #expect(deleted.status == 200)
            #expect(metadata(deleted.json)["name"] as? String == name)
            #expect(try await client.getJSON("/apis/batch/v1/namespaces/default/jobs/\(name)").0 == 404)
        }
    }

    @Test func notFoundAndAlreadyExistsAreTheRealStatusBodies() async throws {
        try await withFakeServer { server, client in
            let (code, missing) = try await client.getJSON("/apis/batch/v1/namespaces/default/jobs/nope")
            #expect(code == 404)
            #expect(missing["kind"] as? String == "Status")
            #expect(missing["status"] as? String == "Failure")
            #expect(missing["reason"] as? String == "NotFound")
            #expect(missing["message"] as? String == "jobs.batch \"nope\" not found")
            #expect(missing["code"] as? Int == 404)
            let details = missing["details"] as? [String: Any] ?? [:]
            #expect(details["name"] as? String == "nope")
            #expect(details["group"] as? String == "batch")
            #expect(details["kind"] as? String == "jobs")

            let body: [String: Any] = ["metadata": ["name": "settings"], "data": ["a": "1"]]
            #expect(try await client.send("POST", "/api/v1/namespaces/default/configmaps", json: body).status == 201)
            let again = try await client.send("POST", "/api/v1/namespaces/default/configmaps", json: body)
            #expect(again.status == 409)
            #expect(again.json["reason"] as? String == "AlreadyExists")
            #expect(again.json["message"] as? String == "configmaps \"settings\" already exists")
            let againDetails = again.json["details"] as? [String: Any] ?? [:]
            #expect(againDetails["kind"] as? String == "configmaps" && againDetails["group"] == nil)
        }
    }

    @Test func updateAndPatchOfAnObject() async throws {
        try await withFakeServer { server, client in
            let created = try server.createObject(.configMaps, ["metadata": ["name": "cm"], "data": ["a": "1"]])
            let version = try #require(metadata(created)["resourceVersion"] as? String)

            var changed = created
            changed["data"] = ["a": "2"]
            let updated = try await client.send("PUT", "/api/v1/namespaces/default/configmaps/cm", json: changed)
            #expect(updated.status == 200)
            #expect((updated.json["data"] as? [String: Any])?["a"] as? String == "2")
            #expect(metadata(updated.json)["resourceVersion"] as? String != version)
            #expect(metadata(updated.json)["uid"] as? String == metadata(created)["uid"] as? String)
            // The version just replaced is stale now.
            let stale = try await client.send("PUT", "/api/v1/namespaces/default/configmaps/cm", json: changed)
            #expect(stale.status == 409)
            #expect(stale.json["reason"] as? String == "Conflict")
            #expect((stale.json["message"] as? String)?.hasPrefix("Operation cannot be fulfilled on configmaps \"cm\"") == true)

            let patched = try await client.send("PATCH", "/api/v1/namespaces/default/configmaps/cm",
                                                json: ["data": ["b": "3"]], contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json["data"] as? [String: String] == ["a": "2", "b": "3"])
            #expect(server.object(.configMaps, name: "cm")?["data"] as? [String: String] == ["a": "2", "b": "3"])

            let jsonPatched = try await client.send("PATCH", "/api/v1/namespaces/default/configmaps/cm",
                                                    body: [["op": "remove", "path": "/data/a"],
                                                           ["op": "add", "path": "/metadata/labels", "value": ["k": "v"]]],
                                                    contentType: "application/json-patch+json")
            #expect(jsonPatched.status == 200)
            let stored = try #require(server.object(.configMaps, name: "cm"))
            #expect(stored["data"] as? [String: String] == ["b": "3"])
            #expect(metadata(stored)["labels"] as? [String: String] == ["k": "v"])

            // Patching to the same content changes nothing, not even the version.
            let versionBefore = metadata(stored)["resourceVersion"] as? String
            let same = try await client.send("PATCH", "/api/v1/namespaces/default/configmaps/cm", json: ["data": ["b": "3"]],
                                             contentType: "application/merge-patch+json")
            #expect(metadata(same.json)["resourceVersion"] as? String == versionBefore)
            #expect(server.currentResourceVersion == versionBefore)
        }
    }

    @Test func nodesAreClusterScoped() async throws {
        try await withFakeServer { server, client in
            let created = try await client.send("POST", "/api/v1/nodes", json: ["metadata": ["name": "node-1"]])
            #expect(created.status == 201)
            #expect(metadata(created.json)["namespace"] == nil)
            let (status, node) = try await client.getJSON("/api/v1/nodes/node-1")
            #expect(status == 200 && node["kind"] as? String == "Node")
            #expect(try await client.getJSON("/api/v1/namespaces/default/nodes/node-1").0 == 404)
            let (_, list) = try await client.getJSON("/api/v1/nodes")
            #expect(itemNames(list) == ["node-1"])
        }
    }

    @Test func eventsOfBothGroupsAreOneSetOfObjects() async throws {
        try await withFakeServer { server, client in
            let core = try await client.send("POST", "/api/v1/namespaces/default/events", json: [
                "metadata": ["name": "web.1"], "involvedObject": ["kind": "Pod", "name": "web", "namespace": "default"],
                "reason": "Started", "message": "started the hook", "type": "Normal", "count": 1,
                "reportingComponent": "kubelua",
            ])
            #expect(core.status == 201)
            #expect(core.json["kind"] as? String == "Event" && core.json["apiVersion"] as? String == "v1")

            let modern = try await client.send("POST", "/apis/events.k8s.io/v1/namespaces/default/events", json: [
                "apiVersion": "events.k8s.io/v1", "kind": "Event",
                "metadata": ["name": "web.2"], "regarding": ["kind": "Pod", "name": "web", "namespace": "default"],
                "reason": "Scaled", "note": "hook acted", "type": "Warning", "action": "Scale",
                "reportingController": "kubelua", "reportingInstance": "kubelua-1", "eventTime": "2026-01-01T00:00:00.000000Z",
            ])
            #expect(modern.status == 201)
            #expect(modern.json["note"] as? String == "hook acted")

            // The core API reads the events.k8s.io Event in its own shape, and the reverse.
            let (_, coreList) = try await client.getJSON("/api/v1/namespaces/default/events")
            #expect(itemNames(coreList) == ["web.1", "web.2"])
            let (_, converted) = try await client.getJSON("/api/v1/namespaces/default/events/web.2")
            #expect(converted["message"] as? String == "hook acted")
            #expect((converted["involvedObject"] as? [String: Any])?["name"] as? String == "web")
            #expect(converted["reportingComponent"] as? String == "kubelua")
            #expect(converted["note"] == nil)
            let (_, modernView) = try await client.getJSON("/apis/events.k8s.io/v1/namespaces/default/events/web.1")
            #expect(modernView["apiVersion"] as? String == "events.k8s.io/v1")
            #expect(modernView["note"] as? String == "started the hook")
            #expect(modernView["deprecatedCount"] as? Int == 1)
            #expect((modernView["regarding"] as? [String: Any])?["kind"] as? String == "Pod")

            let (_, byObject) = try await client.getJSON("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb,reason%3DStarted")
            #expect(itemNames(byObject) == ["web.1"])
        }
    }

    @Test func eventsAggregateByPatchAndUpdate() async throws {
        try await withFakeServer { server, client in
            let created = try server.createObject(.events, [
                "metadata": ["name": "web.1", "namespace": "default"], "involvedObject": ["kind": "Pod", "name": "web"],
                "reason": "Restarted", "message": "x", "count": 1,
            ])
            let patched = try await client.send("PATCH", "/api/v1/namespaces/default/events/web.1",
                                                json: ["count": 2, "lastTimestamp": "2026-01-01T00:00:01Z"],
                                                contentType: "application/strategic-merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json["count"] as? Int == 2)

            let series = try await client.send("PATCH", "/apis/events.k8s.io/v1/namespaces/default/events/web.1",
                                               json: ["series": ["count": 3, "lastObservedTime": "2026-01-01T00:00:02.000000Z"]],
                                               contentType: "application/merge-patch+json")
            #expect(series.status == 200)
            #expect((series.json["series"] as? [String: Any])?["count"] as? Int == 3)

            var replaced = try #require(server.object(.events, name: "web.1"))
            replaced["count"] = 4
            let updated = try await client.send("PUT", "/api/v1/namespaces/default/events/web.1", json: replaced)
            #expect(updated.status == 200)
            let stored = try #require(server.object(.events, name: "web.1"))
            #expect(stored["count"] as? Int == 4)
            #expect((stored["series"] as? [String: Any])?["count"] as? Int == 3)
            #expect(metadata(stored)["uid"] as? String == metadata(created)["uid"] as? String)
        }
    }

    @Test func replicaSetsAreStoredObjects() async throws {
        try await withFakeServer { server, client in
            let body: [String: Any] = [
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": "web-6d4b", "labels": ["app": "web"]],
                "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]]],
            ]
            let created = try await client.send("POST", "/apis/apps/v1/namespaces/default/replicasets", json: body)
            #expect(created.status == 201)
            #expect(created.json["apiVersion"] as? String == "apps/v1")
            let wrongGroup = try await client.send("POST", "/apis/apps/v1/namespaces/default/replicasets",
                                                   json: body.merging(["apiVersion": "batch/v1"]) { $1 })
            #expect(wrongGroup.status == 400)
            let (_, list) = try await client.getJSON("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%20in%20(web)")
            #expect(list["kind"] as? String == "ReplicaSetList")
            #expect(itemNames(list) == ["web-6d4b"])
            #expect((list["items"] as? [[String: Any]])?.first?["kind"] == nil)
            let scaled = try await client.send("PATCH", "/apis/apps/v1/namespaces/default/replicasets/web-6d4b",
                                               json: ["spec": ["replicas": 3]], contentType: "application/strategic-merge-patch+json")
            #expect((scaled.json["spec"] as? [String: Any])?["replicas"] as? Int == 3)
            #expect(try await client.request("DELETE", "/apis/apps/v1/namespaces/default/replicasets/web-6d4b").status == 200)
            #expect(server.objects(.replicaSets).isEmpty)
        }
    }
}
