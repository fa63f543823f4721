import FakeAPIServer
import Foundation
import Testing

/// Refusals: `refuse` faults for one verb and resource, and the RBAC-like allow-list.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerAccessTests {
    @Test func refuseFaultAnswers403ForOneVerbAndResource() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "web")
            try server.createPod(namespace: "other", name: "web")
            server.refuse("delete", "pods", namespace: "default", code: 403)
            let refused = try await client.request("DELETE", "/api/v1/namespaces/default/pods/web")
            #expect(refused.status == 403)
            #expect(refused.json["reason"] as? String == "Forbidden")
            #expect(refused.json["message"] as? String
                == "pods \"web\" is forbidden: User \"system:serviceaccount:kubelua:kubelua\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"")
            #expect(server.pod(name: "web") != nil)
            // Other verbs and other namespaces are untouched; the rule stays until removed.
            #expect(try await client.getJSON("/api/v1/namespaces/default/pods/web").0 == 200)
            #expect(try await client.request("DELETE", "/api/v1/namespaces/other/pods/web").status == 200)
            #expect(try await client.request("DELETE", "/api/v1/namespaces/default/pods/web").status == 403)
            #expect(server.requests.last?.fault == .refuse(code: 403))

            // On a non-resource path the refusal names the path, as the real server's does.
            server.inject(.refuse(code: 403), on: .kind(.discovery))
            let discovery = try await client.request("GET", "/apis")
            #expect(discovery.status == 403)
            #expect(discovery.json["message"] as? String == "forbidden: User \"system:serviceaccount:kubelua:kubelua\" cannot get path \"/apis\"")
        }
    }

    @Test func refuseFaultAnswers409And429() async throws {
        try await withFakeServer { server, client in
            try server.createObject(.jobs, ["metadata": ["name": "j", "namespace": "default"]])
            try server.createPod(name: "web")
            server.refuse("patch", "jobs", group: "batch", code: 409, .next)
            let conflict = try await client.send("PATCH", "/apis/batch/v1/namespaces/default/jobs/j", json: ["spec": ["x": 1]],
                                                 contentType: "application/merge-patch+json")
            #expect(conflict.status == 409)
            #expect(conflict.json["reason"] as? String == "Conflict")
            #expect((conflict.json["message"] as? String)?.hasPrefix("Operation cannot be fulfilled on jobs.batch \"j\"") == true)
            let afterwards = try await client.send("PATCH", "/apis/batch/v1/namespaces/default/jobs/j", json: ["spec": ["x": 1]],
                                                   contentType: "application/merge-patch+json")
            #expect(afterwards.status == 200)

            server.refuse("create", "pods/eviction", code: 429, retryAfterSeconds: 7)
            let throttled = try await client.send("POST", "/api/v1/namespaces/default/pods/web/eviction",
                                                  json: ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "web"]])
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") == "7")
            #expect((throttled.json["details"] as? [String: Any])?["retryAfterSeconds"] as? Int == 7)
            #expect(server.pod(name: "web") != nil)
        }
    }

    private let policy = AccessPolicy(rules: [
        AccessRule(verbs: ["get", "list", "watch"], resources: ["pods"]),
        AccessRule(verbs: ["create"], resources: ["pods/eviction"], namespace: "default"),
        AccessRule(verbs: ["create", "patch"], resources: ["events"], namespace: "default"),
        AccessRule(verbs: ["get", "delete"], apiGroups: ["batch"], resources: ["jobs"], namespace: "default"),
    ])

    @Test func allowListAllowsExactlyItsRules() async throws {
        try await withFakeServer({ $0.accessPolicy = policy }) { server, client in
            try server.createPod(name: "web", phase: "Running")
            try server.createPod(namespace: "prod", name: "api")
            try server.createObject(.jobs, ["metadata": ["name": "j", "namespace": "default"]])
            try server.createObject(.jobs, ["metadata": ["name": "j", "namespace": "prod"]])

            // Discovery is always allowed.
            for path in ["/api", "/api/v1", "/apis", "/apis/batch/v1", "/version"] {
                #expect(try await client.getJSON(path).0 == 200, "\(path)")
            }
            #expect(try await client.getJSON("/api/v1/pods").0 == 200)
            #expect(try await client.getJSON("/api/v1/namespaces/prod/pods/api").0 == 200)
            let watch = try await client.open("GET", "/api/v1/pods?watch=true")
            #expect(watch.status == 200)
            watch.close()
            #expect(try await client.getJSON("/apis/batch/v1/namespaces/default/jobs/j").0 == 200)
            #expect(try await client.send("POST", "/api/v1/namespaces/default/events", json: ["metadata": ["name": "e"]]).status == 201)

            let forbidden: [(String, String, Int)] = [
                ("DELETE", "/api/v1/namespaces/default/pods/web", 403),
                ("GET", "/apis/batch/v1/namespaces/default/jobs", 403),
                ("GET", "/apis/batch/v1/namespaces/prod/jobs/j", 403),
                ("DELETE", "/apis/batch/v1/namespaces/prod/jobs/j", 403),
                ("GET", "/api/v1/namespaces/default/events", 403),
                ("GET", "/api/v1/nodes", 403),
                ("POST", "/api/v1/namespaces/prod/pods/api/eviction", 403),
            ]
            for (method, path, code) in forbidden {
                let response = try await client.send(method, path, json: ["metadata": ["name": "api"]])
                #expect(response.status == code, "\(method) \(path)")
                #expect(response.json["reason"] as? String == "Forbidden", "\(method) \(path)")
            }
            #expect(server.pod(name: "web") != nil)
            #expect(server.pod(namespace: "prod", name: "api") != nil)
            #expect(server.object(.jobs, namespace: "prod", name: "j") != nil)

            #expect(try await client.request("DELETE", "/apis/batch/v1/namespaces/default/jobs/j").status == 200)
            let evicted = try await client.send("POST", "/api/v1/namespaces/default/pods/web/eviction",
                                                json: ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "web"]])
            #expect(evicted.status == 201)
        }
    }

    @Test func refusalsAreWordedAsRBACWordsThem() async throws {
        try await withFakeServer({ $0.accessPolicy = policy }) { server, client in
            try server.createPod(name: "x")
            let user = "User \"system:serviceaccount:kubelua:kubelua\""
            let delete = try await client.request("DELETE", "/api/v1/namespaces/default/pods/x")
            #expect(delete.json["message"] as? String
                == "pods \"x\" is forbidden: \(user) cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"")
            let details = delete.json["details"] as? [String: Any] ?? [:]
            #expect(details["name"] as? String == "x" && details["kind"] as? String == "pods")
            #expect(delete.json["code"] as? Int == 403)

            let list = try await client.request("GET", "/apis/batch/v1/namespaces/default/jobs")
            #expect(list.json["message"] as? String
                == "jobs.batch is forbidden: \(user) cannot list resource \"jobs\" in API group \"batch\" in the namespace \"default\"")
            let nodes = try await client.request("GET", "/api/v1/nodes")
            #expect(nodes.json["message"] as? String
                == "nodes is forbidden: \(user) cannot list resource \"nodes\" in API group \"\" at the cluster scope")
            let eviction = try await client.send("POST", "/api/v1/namespaces/prod/pods/x/eviction", json: [:])
            #expect(eviction.json["message"] as? String
                == "pods \"x\" is forbidden: \(user) cannot create resource \"pods/eviction\" in API group \"\" in the namespace \"prod\"")
            let watch = try await client.request("GET", "/api/v1/namespaces/default/events?watch=1")
            #expect(watch.json["message"] as? String
                == "events is forbidden: \(user) cannot watch resource \"events\" in API group \"\" in the namespace \"default\"")

            // Changed at run time: no policy allows everything again.
            server.setAccessPolicy(nil)
            #expect(try await client.request("DELETE", "/api/v1/namespaces/default/pods/x").status == 200)
            server.setAccessPolicy(AccessPolicy(user: "alice", rules: []))
            let alice = try await client.request("GET", "/api/v1/pods")
            #expect(alice.json["message"] as? String
                == "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" at the cluster scope")
        }
    }

    @Test func resourceNamesLimitARuleToNamedObjects() async throws {
        let named = AccessPolicy(rules: [AccessRule(verbs: ["get", "list", "delete"], resources: ["pods"], namespace: "default",
                                                    resourceNames: ["web"])])
        try await withFakeServer({ $0.accessPolicy = named }) { server, client in
            try server.createPod(name: "web")
            try server.createPod(name: "db")
            #expect(try await client.getJSON("/api/v1/namespaces/default/pods/web").0 == 200)
            // A list selecting exactly that name counts as naming it, as in RBAC.
            #expect(try await client.getJSON("/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb").0 == 200)
            let all = try await client.request("GET", "/api/v1/namespaces/default/pods")
            #expect(all.status == 403)
            let other = try await client.request("DELETE", "/api/v1/namespaces/default/pods/db")
            #expect(other.status == 403)
            #expect((other.json["message"] as? String)?.hasPrefix("pods \"db\" is forbidden") == true)
            let selected = try await client.request("GET", "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Ddb")
            #expect((selected.json["message"] as? String)?.hasPrefix("pods \"db\" is forbidden: User") == true)
            #expect(try await client.request("DELETE", "/api/v1/namespaces/default/pods/web").status == 200)
        }
    }
}
