@testable import FakeAPIServer
import Foundation
import Testing

/// The patch appliers and request parsing under the HTTP layer: JSON pointer escapes, patch
/// operations on arrays, strategic merge directives, and how paths read as RBAC attributes.
@Suite struct FakeAPIServerPatchUnitTests {
    private func encoded(_ value: Any) -> String { String(decoding: JSONCodec.encode(value), as: UTF8.self) }

    @Test func jsonPointerEscapes() throws {
        #expect(try JSONPatch.pointer("") == [])
        #expect(try JSONPatch.pointer("/metadata/labels/app.kubernetes.io~1name") == ["metadata", "labels", "app.kubernetes.io/name"])
        #expect(try JSONPatch.pointer("/a~0b/~01") == ["a~b", "~1"])
        #expect(throws: StatusError.self) { try JSONPatch.pointer("metadata") }
    }

    @Test func jsonPatchOperations() throws {
        let document: [String: Any] = ["list": [1, 2, 3], "map": ["a": 1]]
        let result = try JSONPatch.apply([
            ["op": "add", "path": "/list/0", "value": 0],
            ["op": "remove", "path": "/list/3"],
            ["op": "copy", "from": "/map/a", "path": "/map/b"],
            ["op": "move", "from": "/map/a", "path": "/moved"],
            ["op": "test", "path": "/list", "value": [0, 1, 2]],
        ], to: document)
        #expect(encoded(result) == #"{"list":[0,1,2],"map":{"b":1},"moved":1}"#)
        for failing: [String: Any] in [
            ["op": "replace", "path": "/list/9", "value": 1],
            ["op": "add", "path": "/missing/child", "value": 1],
            ["op": "test", "path": "/map/a", "value": 2],
            ["op": "frobnicate", "path": "/map"],
        ] {
            #expect(throws: StatusError.self, "\(failing)") { try JSONPatch.apply([failing], to: document) }
        }
    }

    @Test func strategicMergeDirectives() {
        let target: [String: Any] = [
            "metadata": ["finalizers": ["a", "b"], "labels": ["x": "1"]],
            "spec": ["containers": [["name": "app", "image": "v1"], ["name": "side", "image": "s1"]],
                     "tolerations": [["key": "t1"]]],
        ]
        let patch: [String: Any] = [
            "metadata": ["finalizers": ["c", "a"], "$deleteFromPrimitiveList/finalizers": ["b"],
                         "labels": ["$patch": "replace", "y": "2"]],
            "spec": ["containers": [["name": "side", "$patch": "delete"], ["name": "new", "image": "n1"]],
                     "tolerations": [["key": "t2"]], "$setElementOrder/containers": [["name": "app"]]],
        ]
        let result = StrategicMergePatch.apply(patch, to: target)
        #expect(encoded(result) == encoded([
            "metadata": ["finalizers": ["a", "c"], "labels": ["y": "2"]],
            "spec": ["containers": [["name": "app", "image": "v1"], ["name": "new", "image": "n1"]],
                     "tolerations": [["key": "t2"]]],
        ]))
    }

    @Test func pathsReadAsRBACAttributes() {
        let cases: [(String, String, String, String, String, String, String)] = [
            // method, path, verb, group, namespace, resource/subresource, name
            ("GET", "/api/v1/namespaces/default/pods", "list", "", "default", "pods", ""),
            ("GET", "/api/v1/pods", "list", "", "", "pods", ""),
            ("POST", "/api/v1/namespaces/default/pods/web/eviction", "create", "", "default", "pods/eviction", "web"),
            ("PATCH", "/apis/batch/v1/namespaces/ci/jobs/j/status", "patch", "batch", "ci", "jobs/status", "j"),
            ("DELETE", "/apis/apps/v1/namespaces/ci/replicasets", "deletecollection", "apps", "ci", "replicasets", ""),
            ("GET", "/api/v1/namespaces/prod", "get", "", "prod", "namespaces", "prod"),
            ("PUT", "/api/v1/namespaces/prod/finalize", "update", "", "prod", "namespaces/finalize", "prod"),
            ("GET", "/api/v1/nodes/n1", "get", "", "", "nodes", "n1"),
        ]
        for (method, path, verb, group, namespace, resource, name) in cases {
            let info = RequestInfo(method: method, path: path, isWatch: false)
            #expect(info.verb == verb, "\(path)")
            #expect(info.resource?.group == group && info.resource?.namespace == namespace, "\(path)")
            #expect(info.resource?.resourceName == resource && info.resource?.name == name, "\(path)")
        }
        #expect(RequestInfo(method: "GET", path: "/api/v1/pods", isWatch: true).verb == "watch")
        #expect(RequestInfo(method: "GET", path: "/apis/batch/v1", isWatch: false).resource == nil)
        #expect(RequestInfo(method: "GET", path: "/api/v1/pods", isWatch: false, fieldSelector: "metadata.name=web").resource?.name == "web")
        #expect(RequestInfo(method: "GET", path: "/api/v1/pods", isWatch: false, fieldSelector: "metadata.name!=web").resource?.name == "")
    }
}
