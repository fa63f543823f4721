import FakeAPIServer
import Foundation
import Testing

/// CRUD, lists, paging and selectors over HTTP.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerStoreTests {
    @Test func createAssignsIdentityAndGetReturnsIt() async throws {
        try await withFakeServer { server, client in
            let before = Int(server.currentResourceVersion)!
            let created = try await client.send("POST", "/api/v1/namespaces/default/pods", json: [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": "web-1", "labels": ["app": "web"]],
                "spec": ["containers": [["name": "c", "image": "nginx"]]],
            ])
            #expect(created.status == 201)
            let meta = metadata(created.json)
            #expect(meta["namespace"] as? String == "default")
            #expect(UUID(uuidString: meta["uid"] as? String ?? "") != nil)
            #expect(meta["creationTimestamp"] is String)
            #expect(meta["resourceVersion"] as? String == String(before + 1))
            #expect((created.json["status"] as? [String: Any])?["phase"] as? String == "Pending")

            let (status, fetched) = try await client.getJSON("/api/v1/namespaces/default/pods/web-1")
            #expect(status == 200)
            #expect(metadata(fetched)["uid"] as? String == meta["uid"] as? String)

            let again = try await client.send("POST", "/api/v1/namespaces/default/pods", json: ["metadata": ["name": "web-1"]])
            #expect(again.status == 409)
            #expect(again.json["reason"] as? String == "AlreadyExists")
            #expect(again.json["kind"] as? String == "Status")

            let (missing, body) = try await client.getJSON("/api/v1/namespaces/default/pods/nope")
            #expect(missing == 404)
            #expect(body["reason"] as? String == "NotFound")
        }
    }

    @Test func listReportsStoreVersionAndFiltersByNamespace() async throws {
        try await withFakeServer { server, client in
            try server.createPod(namespace: "a", name: "p1")
            try server.createPod(namespace: "b", name: "p2")
            try server.createPod(namespace: "a", name: "p0")
            let (status, all) = try await client.getJSON("/api/v1/pods")
            #expect(status == 200)
            #expect(all["kind"] as? String == "PodList")
            #expect(metadata(all)["resourceVersion"] as? String == server.currentResourceVersion)
            #expect(itemNames(all) == ["p0", "p1", "p2"])
            let (_, inA) = try await client.getJSON("/api/v1/namespaces/a/pods")
            #expect(itemNames(inA) == ["p0", "p1"])
        }
    }

    @Test func pagingFollowsContinueOverOneSnapshot() async throws {
        try await withFakeServer { server, client in
            for i in 0..<5 { try server.createPod(name: "p\(i)") }
            let listVersion = server.currentResourceVersion
            let (_, first) = try await client.getJSON("/api/v1/pods?limit=2")
            #expect(itemNames(first) == ["p0", "p1"])
            #expect(metadata(first)["remainingItemCount"] as? Int == 3)
            let token = try #require(metadata(first)["continue"] as? String)

            // Changes after the first page do not leak into later pages.
            try server.delete(name: "p2")
            try server.createPod(name: "p3a")
            let (_, second) = try await client.getJSON("/api/v1/pods?limit=2&continue=\(token.urlQueryEscaped)")
            #expect(itemNames(second) == ["p2", "p3"])
            #expect(metadata(second)["resourceVersion"] as? String == listVersion)
            let token2 = try #require(metadata(second)["continue"] as? String)
            let (_, third) = try await client.getJSON("/api/v1/pods?limit=2&continue=\(token2.urlQueryEscaped)")
            #expect(itemNames(third) == ["p4"])
            #expect(metadata(third)["continue"] == nil)
            #expect(server.requests.compactMap(\.page) == [1, 2, 3])
        }
    }

    @Test func continueTokenExpiresWithCompaction() async throws {
        try await withFakeServer { server, client in
            for i in 0..<3 { try server.createPod(name: "p\(i)") }
            let (_, first) = try await client.getJSON("/api/v1/pods?limit=1")
            let token = try #require(metadata(first)["continue"] as? String)
            try server.setPhase(name: "p0", "Running")
            server.compact()
            let (status, body) = try await client.getJSON("/api/v1/pods?limit=1&continue=\(token.urlQueryEscaped)")
            #expect(status == 410)
            #expect(body["reason"] as? String == "Expired")
            #expect((body["message"] as? String)?.contains("continue parameter is too old") == true)
        }
    }

    @Test func resourceVersionParametersOnLists() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "a")
            let old = server.currentResourceVersion
            try server.createPod(name: "b")
            let (_, exact) = try await client.getJSON("/api/v1/pods?resourceVersion=\(old)&resourceVersionMatch=Exact")
            #expect(itemNames(exact) == ["a"])
            #expect(metadata(exact)["resourceVersion"] as? String == old)
            let (_, notOlder) = try await client.getJSON("/api/v1/pods?resourceVersion=\(old)&resourceVersionMatch=NotOlderThan")
            #expect(itemNames(notOlder) == ["a", "b"])
            let (_, any) = try await client.getJSON("/api/v1/pods?resourceVersion=0")
            #expect(itemNames(any) == ["a", "b"])
            let (tooLarge, status) = try await client.getJSON("/api/v1/pods?resourceVersion=999999")
            #expect(tooLarge == 504)
            #expect((status["message"] as? String)?.contains("Too large resource version") == true)
            server.compact()
            let (gone, _) = try await client.getJSON("/api/v1/pods?resourceVersion=\(old)&resourceVersionMatch=Exact")
            #expect(gone == 410)
        }
    }

    @Test func labelAndFieldSelectors() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "web", labels: ["app": "web", "tier": "front"], phase: "Running", nodeName: "n1")
            try server.createPod(name: "api", labels: ["app": "api", "tier": "back"], phase: "Pending", nodeName: "n2")
            try server.createPod(name: "job", labels: ["app": "batch"], phase: "Succeeded")
            func names(_ query: String) async throws -> [String] {
                let (status, body) = try await client.getJSON("/api/v1/pods?\(query)")
                #expect(status == 200, "\(query): \(body)")
                return itemNames(body)
            }
            #expect(try await names("labelSelector=app%3Dweb") == ["web"])
            #expect(try await names("labelSelector=app%3D%3Dapi") == ["api"])
            #expect(try await names("labelSelector=tier!%3Dfront") == ["api", "job"])
            #expect(try await names("labelSelector=app+in+(web,api)") == ["api", "web"])
            #expect(try await names("labelSelector=app%20notin%20(web)") == ["api", "job"])
            #expect(try await names("labelSelector=tier") == ["api", "web"])
            #expect(try await names("labelSelector=!tier") == ["job"])
            #expect(try await names("labelSelector=app,tier%3Dback") == ["api"])
            #expect(try await names("fieldSelector=status.phase%3DRunning") == ["web"])
            #expect(try await names("fieldSelector=spec.nodeName!%3Dn1") == ["api", "job"])
            #expect(try await names("fieldSelector=metadata.name%3D%3Djob,metadata.namespace%3Ddefault") == ["job"])
            let (bad, status) = try await client.getJSON("/api/v1/pods?fieldSelector=spec.hostname%3Dx")
            #expect(bad == 400)
            #expect(status["reason"] as? String == "BadRequest")
            let (badLabel, _) = try await client.getJSON("/api/v1/pods?labelSelector=app+in+web")
            #expect(badLabel == 400)
        }
    }

    @Test func updateWithStaleVersionConflicts() async throws {
        try await withFakeServer { server, client in
            let pod = try server.createPod(name: "p")
            var object = pod.object
            var meta = metadata(object)
            meta["labels"] = ["v": "2"]
            object["metadata"] = meta
            let ok = try await client.send("PUT", "/api/v1/namespaces/default/pods/p", json: object)
            #expect(ok.status == 200)
            #expect(metadata(ok.json)["resourceVersion"] as? String != pod.resourceVersion)
            // Same body again: its resourceVersion is now stale.
            let stale = try await client.send("PUT", "/api/v1/namespaces/default/pods/p", json: object)
            #expect(stale.status == 409)
            #expect(stale.json["reason"] as? String == "Conflict")
            #expect(throws: StatusError.self) { try server.update(object) }
            // An update that changes nothing keeps the version and emits nothing.
            let current = try #require(server.pod(name: "p"))
            let same = try server.update(current.object)
            #expect(same.resourceVersion == current.resourceVersion)
        }
    }

    @Test func mergePatchAndStrategicMergePatch() async throws {
        try await withFakeServer { server, client in
            try server.createPod(name: "p", labels: ["a": "1", "b": "2"])
            let merged = try await client.send("PATCH", "/api/v1/namespaces/default/pods/p",
                                               json: ["metadata": ["labels": ["a": NSNull(), "c": "3"]], "status": ["phase": "Running"]],
                                               contentType: "application/merge-patch+json")
            #expect(merged.status == 200)
            #expect(metadata(merged.json)["labels"] as? [String: String] == ["b": "2", "c": "3"])
            #expect(server.pod(name: "p")?.phase == "Running")
            let strategic = try await client.send("PATCH", "/api/v1/namespaces/default/pods/p", json: ["metadata": ["labels": ["d": "4"]]],
                                                  contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == 200)
            #expect(server.pod(name: "p")?.labels == ["b": "2", "c": "3", "d": "4"])
            let precondition = try await client.send("PATCH", "/api/v1/namespaces/default/pods/p",
                                                     json: ["metadata": ["resourceVersion": "1", "labels": ["e": "5"]]],
                                                     contentType: "application/merge-patch+json")
            #expect(precondition.status == 409)
            let applyPatch = try await client.request("PATCH", "/api/v1/namespaces/default/pods/p",
                                                      headers: [("Content-Type", "application/apply-patch+yaml")], body: Array("{}".utf8))
            #expect(applyPatch.status == 415)
        }
    }

    @Test func deleteReturnsLastObjectAtNewVersion() async throws {
        try await withFakeServer { server, client in
            let pod = try server.createPod(name: "p")
            let deleted = try await client.request("DELETE", "/api/v1/namespaces/default/pods/p")
            #expect(deleted.status == 200)
            #expect(metadata(deleted.json)["uid"] as? String == pod.uid)
            #expect(metadata(deleted.json)["resourceVersion"] as? String == server.currentResourceVersion)
            #expect(server.pod(name: "p") == nil)
            let again = try await client.request("DELETE", "/api/v1/namespaces/default/pods/p")
            #expect(again.status == 404)
        }
    }

    @Test func acceptsGeneratedRealisticPods() async throws {
        try await withFakeServer { server, client in
            let generator = PodGenerator()
            #expect(generator.json(7) == PodGenerator().json(7), "deterministic")
            for i in 0..<20 {
                let bytes = generator.bytes(i)
                #expect((3_000...9_000).contains(bytes.count))
                let created = try await client.request("POST", "/api/v1/namespaces/\(namespace(of: bytes))/pods",
                                                       headers: [("Content-Type", "application/json")], body: bytes)
                #expect(created.status == 201)
            }
            let (_, list) = try await client.getJSON("/api/v1/pods?limit=500")
            #expect(itemNames(list).count == 20)
            #expect(server.pods.allSatisfy { $0.phase == "Running" && !$0.labels.isEmpty })
        }
    }

    private func namespace(of pod: [UInt8]) -> String {
        let object = (try? JSONSerialization.jsonObject(with: Data(pod))) as? [String: Any] ?? [:]
        return metadata(object)["namespace"] as? String ?? "default"
    }
}

extension String {
    var urlQueryEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self
    }
}
