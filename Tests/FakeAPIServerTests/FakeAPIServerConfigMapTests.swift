import FakeAPIServer
import Foundation
import Testing

/// ConfigMaps over HTTP as a hook keeping state in one drives them: create, get, list by label
/// selector, update and patch with resourceVersion preconditions, delete; and writes refused
/// by a fault (403, 409) or by the allow-list.
@Suite(.timeLimit(.minutes(1))) struct FakeAPIServerConfigMapTests {
    private let collection = "/api/v1/namespaces/default/configmaps"

    private func configMap(_ name: String, labels: [String: String], data: [String: String]) -> [String: Any] {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": name, "labels": labels], "data": data]
    }

    @Test func aConfigMapIsCreatedReadListedUpdatedPatchedAndDeleted() async throws {
        try await withFakeServer { server, client in
            let created = try await client.send("POST", collection, json: configMap("state", labels: ["app": "web"], data: ["n": "1"]))
            #expect(created.status == 201)
            #expect(created.json["kind"] as? String == "ConfigMap")
            let version = try #require(metadata(created.json)["resourceVersion"] as? String)
            #expect(metadata(created.json)["uid"] as? String != nil)
            let again = try await client.send("POST", collection, json: configMap("state", labels: [:], data: [:]))
            #expect(again.status == 409)
            #expect(again.json["reason"] as? String == "AlreadyExists")
            #expect(try await client.send("POST", collection, json: configMap("other", labels: ["app": "db"], data: [:])).status == 201)

            let (status, fetched) = try await client.getJSON("\(collection)/state")
            #expect(status == 200)
            #expect(fetched["data"] as? [String: String] == ["n": "1"])
            #expect(try await itemNames(client.getJSON("\(collection)?labelSelector=app%3Dweb").1) == ["state"])
            #expect(try await itemNames(client.getJSON("\(collection)?labelSelector=app+in+(web,db)").1) == ["other", "state"])
            #expect(try await itemNames(client.getJSON("\(collection)?labelSelector=!app").1) == [])
            let (list, body) = try await client.getJSON(collection)
            #expect(list == 200)
            #expect(body["kind"] as? String == "ConfigMapList")

            // A write carrying the version it read succeeds once; the next with that version conflicts.
            var update = fetched
            update["data"] = ["n": "2"]
            let updated = try await client.send("PUT", "\(collection)/state", json: update)
            #expect(updated.status == 200)
            let updatedVersion = try #require(metadata(updated.json)["resourceVersion"] as? String)
            #expect(updatedVersion != version)
            let staleUpdate = try await client.send("PUT", "\(collection)/state", json: update)
            #expect(staleUpdate.status == 409)
            #expect(staleUpdate.json["reason"] as? String == "Conflict")

            let stalePatch = try await client.send("PATCH", "\(collection)/state",
                                                   json: ["metadata": ["resourceVersion": version], "data": ["n": "3"]],
                                                   contentType: "application/merge-patch+json")
            #expect(stalePatch.status == 409)
            #expect((stalePatch.json["message"] as? String)?.hasPrefix("Operation cannot be fulfilled on configmaps \"state\"") == true)
            #expect(server.object(.configMaps, name: "state")?["data"] as? [String: String] == ["n": "2"])
            let patched = try await client.send("PATCH", "\(collection)/state",
                                                json: ["metadata": ["resourceVersion": updatedVersion], "data": ["n": "3"]],
                                                contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json["data"] as? [String: String] == ["n": "3"])

            let staleDelete = try await client.send("DELETE", "\(collection)/state", json: ["preconditions": ["resourceVersion": version]])
            #expect(staleDelete.status == 409)
            #expect(try await client.request("DELETE", "\(collection)/state").status == 200)
            let (gone, missing) = try await client.getJSON("\(collection)/state")
            #expect(gone == 404)
            #expect(missing["message"] as? String == "configmaps \"state\" not found")
        }
    }

    @Test func configMapWritesCanBeRefusedWhileReadsGoOn() async throws {
        try await withFakeServer { server, client in
            try server.createObject(.configMaps, configMap("state", labels: [:], data: ["n": "1"]))
            let forbidden = server.refuse("update", "configmaps", namespace: "default", code: 403)
            server.refuse("patch", "configmaps", code: 409, .next)
            server.refuse("create", "configmaps", code: 403, .next)

            let update = try await client.send("PUT", "\(collection)/state", json: configMap("state", labels: [:], data: ["n": "2"]))
            #expect(update.status == 403)
            #expect(update.json["message"] as? String
                == "configmaps \"state\" is forbidden: User \"system:serviceaccount:kubelua:kubelua\" cannot update resource \"configmaps\" in API group \"\" in the namespace \"default\"")
            let patch = try await client.send("PATCH", "\(collection)/state", json: ["data": ["n": "3"]],
                                              contentType: "application/merge-patch+json")
            #expect(patch.status == 409)
            #expect(patch.json["reason"] as? String == "Conflict")
            #expect(try await client.send("POST", collection, json: configMap("new", labels: [:], data: [:])).status == 403)
            #expect(try await client.getJSON("\(collection)/state").0 == 200)
            #expect(server.object(.configMaps, name: "state")?["data"] as? [String: String] == ["n": "1"])
            #expect(server.object(.configMaps, name: "new") == nil)

            // `.next` faults are used up; the `.always` one holds until it is removed.
            #expect(try await client.send("PATCH", "\(collection)/state", json: ["data": ["n": "3"]],
                                          contentType: "application/merge-patch+json").status == 200)
            #expect(try await client.send("PUT", "\(collection)/state", json: configMap("state", labels: [:], data: [:])).status == 403)
            server.removeFault(forbidden)
            #expect(try await client.send("PUT", "\(collection)/state", json: configMap("state", labels: [:], data: [:])).status == 200)

            // An allow-list that only reads them refuses every write.
            server.setAccessPolicy(AccessPolicy(rules: [AccessRule(verbs: ["get", "list"], resources: ["configmaps"])]))
            #expect(try await client.getJSON(collection).0 == 200)
            #expect(try await client.request("DELETE", "\(collection)/state").status == 403)
            #expect(server.object(.configMaps, name: "state") != nil)
        }
    }
}
