import FakeAPIServer
import Foundation
import Testing

/// `coordination.k8s.io/v1` Leases over HTTP, as leader election uses them, and the log of
/// who held each one when.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerLeaseTests {
    private let collection = "/apis/coordination.k8s.io/v1/namespaces/kubelua/leases"

    private func lease(_ holder: String, renewed second: Int, version: String? = nil) -> [String: Any] {
        var metadata: [String: Any] = ["name": "leader"]
        metadata["resourceVersion"] = version
        return ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": metadata,
                "spec": ["holderIdentity": holder, "leaseDurationSeconds": 15,
                         "renewTime": "2025-01-01T00:00:\(10 + second).000000Z"]]
    }

    private func version(_ response: [String: Any]) throws -> String {
        try #require(metadata(response)["resourceVersion"] as? String)
    }

    @Test func discoveryOffersNamespacedLeases() async throws {
        try await withFakeServer { _, client in
            let (_, groups) = try await client.getJSON("/apis")
            let coordination = (groups["groups"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "coordination.k8s.io" }
            #expect((coordination?["preferredVersion"] as? [String: Any])?["groupVersion"] as? String == "coordination.k8s.io/v1")
            let (status, list) = try await client.getJSON("/apis/coordination.k8s.io/v1")
            #expect(status == 200)
            let leases = try #require((list["resources"] as? [[String: Any]])?.first { $0["name"] as? String == "leases" })
            #expect(leases["kind"] as? String == "Lease")
            #expect(leases["namespaced"] as? Bool == true)
            #expect(Set(leases["verbs"] as? [String] ?? []).isSuperset(of: ["get", "list", "create", "update"]))
        }
    }

    @Test func leaderElectionWritesAreConditionalAndEachHolderChangeIsLogged() async throws {
        try await withFakeServer { server, client in
            #expect(try await client.getJSON("\(collection)/leader").0 == 404)
            let acquired = try await client.send("POST", collection, json: lease("a", renewed: 0))
            #expect(acquired.status == 201)
            let first = try version(acquired.json)
            #expect(try await client.send("POST", collection, json: lease("b", renewed: 0)).json["reason"] as? String == "AlreadyExists")

            let renewed = try await client.send("PUT", "\(collection)/leader", json: lease("a", renewed: 1, version: first))
            #expect(renewed.status == 200)
            let second = try version(renewed.json)
            // A candidate that read the lease before the renewal loses the race.
            let late = try await client.send("PUT", "\(collection)/leader", json: lease("b", renewed: 2, version: first))
            #expect(late.status == 409)
            #expect((late.json["message"] as? String)?.hasPrefix("Operation cannot be fulfilled on leases.coordination.k8s.io \"leader\"") == true)
            let (_, current) = try await client.getJSON("\(collection)/leader")
            #expect((current["spec"] as? [String: Any])?["holderIdentity"] as? String == "a")

            let taken = try await client.send("PUT", "\(collection)/leader", json: lease("b", renewed: 3, version: second))
            #expect(taken.status == 200)
            let (_, listed) = try await client.getJSON(collection)
            #expect(listed["kind"] as? String == "LeaseList")
            #expect(itemNames(listed) == ["leader"])
            #expect(try await itemNames(client.getJSON("/apis/coordination.k8s.io/v1/leases").1) == ["leader"])

            let released = try await client.send("PUT", "\(collection)/leader", json: lease("", renewed: 4, version: try version(taken.json)))
            #expect(released.status == 200)
            #expect(try await client.request("DELETE", "\(collection)/leader").status == 200)

            let changes = server.leaseHolderChanges
            #expect(changes.map(\.previousHolder) == [nil, "a", "b"])
            #expect(changes.map(\.holder) == ["a", "b", nil])
            #expect(changes.map(\.resourceVersion) == [first, try version(taken.json), try version(released.json)])
            #expect(changes.allSatisfy { $0.namespace == "kubelua" && $0.name == "leader" })
            #expect(zip(changes, changes.dropFirst()).allSatisfy { $0.time <= $1.time })
        }
    }

    @Test func aTestAwaitsAHolderInsteadOfPolling() async throws {
        try await withFakeServer { server, client in
            async let takenByB = server.waitForLeaseHolderChange { $0.holder == "b" }
            let created = try await client.send("POST", collection, json: lease("a", renewed: 0))
            let taken = try await client.send("PUT", "\(collection)/leader", json: lease("b", renewed: 1, version: try version(created.json)))
            let change = try #require(await takenByB)
            #expect(change.previousHolder == "a")
            #expect(change.resourceVersion == (try version(taken.json)))
            // Changes already made are replayed to a later wait.
            #expect(await server.waitForLeaseHolderChange { $0.holder == "a" }?.previousHolder == .some(nil))
        }
    }

    @Test func eachChangeOfALeasesAnnotationsIsLoggedAndAwaitable() async throws {
        try await withFakeServer { server, client in
            var first = lease("a", renewed: 0)
            first["metadata"] = ["name": "leader", "annotations": ["kubelua.io/checkpoint": "{\"\":\"5\"}"]]
            let created = try await client.send("POST", collection, json: first)
            async let later = server.waitForLeaseAnnotationChange { $0.annotations["kubelua.io/checkpoint"] == "{\"\":\"9\"}" }
            // A renewal that keeps the annotations is not a change.
            var renewal = lease("a", renewed: 1, version: try version(created.json))
            renewal["metadata"] = ["name": "leader", "resourceVersion": try version(created.json), "annotations": ["kubelua.io/checkpoint": "{\"\":\"5\"}"]]
            let renewed = try await client.send("PUT", "\(collection)/leader", json: renewal)
            var advanced = lease("a", renewed: 2)
            advanced["metadata"] = ["name": "leader", "resourceVersion": try version(renewed.json), "annotations": ["kubelua.io/checkpoint": "{\"\":\"9\"}"]]
            let written = try await client.send("PUT", "\(collection)/leader", json: advanced)
            #expect(written.status == 200)
            #expect(try #require(await later).resourceVersion == (try version(written.json)))
            #expect(server.leaseAnnotationChanges.map { $0.annotations["kubelua.io/checkpoint"] } == [#"{"":"5"}"#, #"{"":"9"}"#])
        }
    }

    @Test func aLeaseDeletedWhileHeldIsAChangeToNobody() async throws {
        try await withFakeServer { server, client in
            let created = try await client.send("POST", collection, json: lease("a", renewed: 0))
            #expect(created.status == 201)
            #expect(try await client.send("DELETE", "\(collection)/leader?dryRun=All", json: [:]).status == 200)
            #expect(server.leaseHolderChanges.count == 1)
            #expect(try await client.request("DELETE", "\(collection)/leader").status == 200)
            #expect(server.leaseHolderChanges.map(\.holder) == ["a", nil])
        }
    }
}
