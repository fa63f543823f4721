import FakeAPIServer
import Foundation
import Testing

/// DeleteOptions (preconditions, grace period, propagation) and the Eviction subresource with
/// its disruption budget rule, over HTTP.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerDeletionTests {
    @Test func uidPreconditionThatDiffersIsAConflict() async throws {
        try await withFakeServer { server, client in
            let pod = try server.createPod(name: "web")
            let options: [String: Any] = ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "not-the-uid"],
                                          "gracePeriodSeconds": 5]
            let refused = try await client.send("DELETE", "/api/v1/namespaces/default/pods/web", json: options)
            #expect(refused.status == 409)
            #expect(refused.json["reason"] as? String == "Conflict")
            #expect(refused.json["message"] as? String
                == "Operation cannot be fulfilled on pods \"web\": Precondition failed: UID in precondition: not-the-uid, UID in object meta: \(pod.uid)")
            #expect(server.pod(name: "web") != nil)

            let accepted = try await client.send("DELETE", "/api/v1/namespaces/default/pods/web",
                                                 json: ["preconditions": ["uid": pod.uid], "propagationPolicy": "Foreground"])
            #expect(accepted.status == 200)
            #expect(server.pod(name: "web") == nil)
            let recorded = server.deletions
            #expect(recorded.map(\.code) == [409, 200])
            #expect(recorded.first?.gracePeriodSeconds == 5)
            #expect(recorded.first?.preconditionUID == "not-the-uid")
            #expect(recorded.last?.propagationPolicy == "Foreground")
            #expect(recorded.last?.resource == "pods" && recorded.last?.name == "web")
        }
    }

    @Test func uidPreconditionOnAJob() async throws {
        try await withFakeServer { server, client in
            let job = try server.createObject(.jobs, ["metadata": ["name": "j", "namespace": "default"]])
            let uid = try #require(metadata(job)["uid"] as? String)
            let refused = try await client.send("DELETE", "/apis/batch/v1/namespaces/default/jobs/j",
                                                json: ["preconditions": ["uid": "other"]])
            #expect(refused.status == 409)
            #expect(refused.json["message"] as? String
                == "Operation cannot be fulfilled on jobs.batch \"j\": Precondition failed: UID in precondition: other, UID in object meta: \(uid)")
            #expect((refused.json["details"] as? [String: Any])?["group"] as? String == "batch")
            #expect(server.object(.jobs, name: "j") != nil)
        }
    }

    /// A Job with two pods it owns and one it does not.
    private func seedJob(_ server: FakeAPIServer, name: String) throws -> String {
        let job = try server.createObject(.jobs, ["metadata": ["name": name, "namespace": "default"]])
        let uid = metadata(job)["uid"] as! String
        let owner: [String: Any] = ["apiVersion": "batch/v1", "kind": "Job", "name": name, "uid": uid, "controller": true]
        for index in 0..<2 {
            try server.create(["metadata": ["name": "\(name)-\(index)", "namespace": "default", "ownerReferences": [owner]],
                               "spec": ["containers": [["name": "c", "image": "busybox"]]]])
        }
        try server.createPod(name: "\(name)-unrelated")
        return uid
    }

    @Test(arguments: ["Background", "Foreground"])
    func deletingAJobDeletesItsPods(policy: String) async throws {
        try await withFakeServer { server, client in
            _ = try seedJob(server, name: "batch")
            let watch = try await client.open("GET", "/api/v1/pods?watch=true&resourceVersion=\(server.currentResourceVersion)")
            let response = try await client.send("DELETE", "/apis/batch/v1/namespaces/default/jobs/batch",
                                                 json: ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": policy])
            #expect(response.status == 200)
            #expect(server.object(.jobs, name: "batch") == nil)
            #expect(server.pods.map(\.name) == ["batch-unrelated"])
            let lines = await watch.lines(2)
            watch.close()
            #expect(lines.map(\.type) == ["DELETED", "DELETED"])
            #expect(Set(lines.compactMap(\.name)) == ["batch-0", "batch-1"])
            #expect(server.deletions.last?.propagationPolicy == policy)
        }
    }

    @Test func orphaningAJobKeepsItsPodsWithoutTheOwnerReference() async throws {
        try await withFakeServer { server, client in
            _ = try seedJob(server, name: "batch")
            let response = try await client.request("DELETE", "/apis/batch/v1/namespaces/default/jobs/batch?propagationPolicy=Orphan")
            #expect(response.status == 200)
            #expect(server.pods.map(\.name) == ["batch-0", "batch-1", "batch-unrelated"])
            for pod in server.pods {
                #expect(metadata(pod.object)["ownerReferences"] == nil)
            }
            #expect(server.deletions.last?.propagationPolicy == "Orphan")
        }
    }

    @Test func aJobDeletedWithoutAPolicyOrphansAsTheRealDefault() async throws {
        try await withFakeServer { server, client in
            _ = try seedJob(server, name: "batch")
            #expect(try await client.request("DELETE", "/apis/batch/v1/namespaces/default/jobs/batch").status == 200)
            #expect(server.pods.count == 3)
            #expect(server.deletions.last?.propagationPolicy == nil)
            let invalid = try await client.request("DELETE", "/api/v1/namespaces/default/pods/batch-0?propagationPolicy=Sometimes")
            #expect(invalid.status == 422)
        }
    }

    private func eviction(_ name: String, _ extra: [String: Any] = [:]) -> [String: Any] {
        ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": name, "namespace": "default"]].merging(extra) { $1 }
    }

    @Test func evictionDeletesThePodWhenTheBudgetAllows() async throws {
        try await withFakeServer { server, client in
            for index in 0..<3 { try server.createPod(name: "web-\(index)", labels: ["app": "web"], phase: "Running") }
            try server.createObject(.podDisruptionBudgets, ["metadata": ["name": "web-pdb", "namespace": "default"],
                                                            "spec": ["minAvailable": 2, "selector": ["matchLabels": ["app": "web"]]]])
            let response = try await client.send("POST", "/api/v1/namespaces/default/pods/web-0/eviction",
                                                 json: eviction("web-0", ["deleteOptions": ["gracePeriodSeconds": 30]]))
            #expect(response.status == 201)
            #expect(response.json["kind"] as? String == "Status")
            #expect(response.json["status"] as? String == "Success")
            #expect(server.pod(name: "web-0") == nil)
            let recorded = try #require(server.deletions.last)
            #expect(recorded.subresource == "eviction" && recorded.gracePeriodSeconds == 30 && recorded.code == 201)

            // Two Running pods left and two required: the next eviction is refused.
            let refused = try await client.send("POST", "/api/v1/namespaces/default/pods/web-1/eviction",
                                                json: eviction("web-1", ["deleteOptions": ["gracePeriodSeconds": 10]]))
            #expect(refused.status == 429)
            #expect(refused.json["reason"] as? String == "TooManyRequests")
            #expect(refused.json["message"] as? String == "Cannot evict pod as it would violate the pod's disruption budget.")
            let cause = ((refused.json["details"] as? [String: Any])?["causes"] as? [[String: Any]])?.first
            #expect(cause?["reason"] as? String == "DisruptionBudget")
            #expect(cause?["message"] as? String == "The disruption budget web-pdb needs 2 healthy pods and has 2 currently")
            #expect(server.pod(name: "web-1") != nil)
            #expect(server.deletions.last?.code == 429 && server.deletions.last?.gracePeriodSeconds == 10)
        }
    }

    @Test func evictionEdgeCases() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "solo", labels: ["app": "db"], phase: "Running")
            try server.createPod(name: "starting", labels: ["app": "db"], phase: "Pending")
            try server.createObject(.podDisruptionBudgets, ["metadata": ["name": "db", "namespace": "default"],
                                                            "spec": ["maxUnavailable": 0, "selector": ["matchLabels": ["app": "db"]]]])
            // A pod that is not Running yet is not protected.
            #expect(try await client.send("POST", "/api/v1/namespaces/default/pods/starting/eviction", json: eviction("starting")).status == 201)
            #expect(try await client.send("POST", "/api/v1/namespaces/default/pods/solo/eviction", json: eviction("solo")).status == 429)
            let missing = try await client.send("POST", "/api/v1/namespaces/default/pods/gone/eviction", json: eviction("gone"))
            #expect(missing.status == 404)
            #expect(missing.json["message"] as? String == "pods \"gone\" not found")
            let mismatch = try await client.send("POST", "/api/v1/namespaces/default/pods/solo/eviction", json: eviction("other"))
            #expect(mismatch.status == 400)

            try server.createObject(.podDisruptionBudgets, ["metadata": ["name": "all", "namespace": "default"],
                                                            "spec": ["minAvailable": 0, "selector": [String: Any]()]])
            let twoBudgets = try await client.send("POST", "/api/v1/namespaces/default/pods/solo/eviction", json: eviction("solo"))
            #expect(twoBudgets.status == 500)
            #expect((twoBudgets.json["message"] as? String)?.hasSuffix("more than one PodDisruptionBudget, which the eviction subresource does not support.") == true)
            #expect(server.pod(name: "solo") != nil)
        }
    }
}
