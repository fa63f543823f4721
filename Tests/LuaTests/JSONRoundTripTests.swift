import CLua
import FakeAPIServer
import Foundation
import Testing
@testable import Lua

@Suite("JSON round trips")
struct JSONRoundTripTests {
    @Test func realisticPodSurvivesDecodeEncodeDecode() throws {
        let state = JSONTestState()
        try state.decode(Self.pod, as: "first")
        lua_getglobal(state.L, "first")
        let encoded = try LuaJSON.encode(state.L, at: -1)
        lua_settop(state.L, 0)
        try LuaJSON.push(encoded, onto: state.L)
        lua_setglobal(state.L, "second")
        #expect(state.run("""
            assert(deepeq(first, second), 'decode(encode(decode(pod))) differs')
            assert(first.spec.containers[1].ports[1].containerPort == 8080)
            assert(math.type(first.spec.containers[1].ports[1].containerPort) == 'integer')
            assert(first.metadata.deletionGracePeriodSeconds == null)
            assert(getmetatable(second.metadata.finalizers) == 'json.array' and #second.metadata.finalizers == 0)
            assert(next(second.spec.securityContext) == nil and getmetatable(second.spec.securityContext) == nil)
            assert(second.metadata.annotations['kubernetes.io/description'] == 'caf\u{e9} \u{2603} "quoted"\\\\n')
            assert(second.status.conditions[3].ratio == 0.75 and second.status.conditions[3].weight == 2.0)
            assert(math.type(second.status.conditions[3].weight) == 'float')
            """) == nil)

        // What we write is plain JSON to anyone else, and means the same thing.
        let original = try JSONSerialization.jsonObject(with: Data(Self.pod.utf8)) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: Data(encoded)) as? NSDictionary
        #expect(original != nil && original == ours)
    }

    @Test func emptyContainersAndNullsRoundTrip() throws {
        let state = JSONTestState()
        let text = #"{"a":[],"b":{},"c":[null,[],{},null],"d":null}"#
        try state.push(text)
        let encoded = String(decoding: try LuaJSON.encode(state.L, at: -1), as: UTF8.self)
        lua_settop(state.L, 0)
        let original = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? NSDictionary
        #expect(original != nil && original == ours)
        #expect(encoded.contains(#""a":[]"#) && encoded.contains(#""b":{}"#) && encoded.contains(#""c":[null,[],{},null]"#))
    }

    @Test func numbersRoundTripExactly() throws {
        let state = JSONTestState()
        var rng = SeededRandom(seed: 7)
        var values: [Double] = [0.1, -0.0, 2.0, 1e-7, 5e-324, .greatestFiniteMagnitude, 1e16, 123456.789]
        for _ in 0..<2000 { values.append(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)) }
        lua_createtable(state.L, Int32(values.count), 0)
        for (i, value) in values.enumerated() {
            lua_pushnumber(state.L, value)
            lua_rawseti(state.L, 1, Int64(i + 1))
        }
        let encoded = try LuaJSON.encode(state.L, at: 1)
        try LuaJSON.push(encoded, onto: state.L)
        for (i, value) in values.enumerated() {
            lua_rawgeti(state.L, 2, Int64(i + 1))
            #expect(lua_isinteger(state.L, -1) == 0)
            #expect(lua_tonumberx(state.L, -1, nil).bitPattern == value.bitPattern)
            lua_settop(state.L, 2)
        }
        lua_settop(state.L, 0)
    }

    @Test func stringsRoundTripByteForByte() throws {
        let state = JSONTestState()
        #expect(state.run("""
            local parts = {}
            for c = 0, 127 do parts[#parts + 1] = string.char(c) end
            s = table.concat(parts) .. 'é€😀' .. string.rep('x', 37) .. '\\0'
            """) == nil)
        lua_getglobal(state.L, "s")
        let encoded = try LuaJSON.encode(state.L, at: -1)
        try LuaJSON.push(encoded, onto: state.L)
        #expect(lua_rawequal(state.L, -1, -2) == 1)
        lua_settop(state.L, 0)
    }

    static let pod = #"""
    {
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": {
        "name": "web-7d4b9c8f6-x2x9k",
        "generateName": "web-7d4b9c8f6-",
        "namespace": "shop",
        "uid": "3f1c2f7e-8a45-4d8e-9a60-2a7b1c0f9e11",
        "resourceVersion": "184467",
        "creationTimestamp": "2024-05-02T10:14:07Z",
        "deletionGracePeriodSeconds": null,
        "labels": {"app": "web", "pod-template-hash": "7d4b9c8f6", "tier": "frontend"},
        "annotations": {
          "kubernetes.io/description": "caf\u00e9 \u2603 \"quoted\"\\n",
          "prometheus.io/scrape": "true",
          "prometheus.io/port": "9090"
        },
        "finalizers": [],
        "ownerReferences": [
          {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c8f6",
           "uid": "b0b6c6a4-5d1e-4f7c-8a3b-6e2f9d0c1a22", "controller": true, "blockOwnerDeletion": true}
        ],
        "managedFields": [
          {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1",
           "time": "2024-05-02T10:14:07Z", "fieldsType": "FieldsV1",
           "fieldsV1": {"f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:app": {}, "f:pod-template-hash": {}},
                                       "f:ownerReferences": {".": {}, "k:{\"uid\":\"b0b6c6a4-5d1e-4f7c-8a3b-6e2f9d0c1a22\"}": {}}},
                        "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}, "f:ports": {".": {},
                                   "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}}}}}},
          {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2024-05-02T10:14:12Z",
           "fieldsType": "FieldsV1", "subresource": "status",
           "fieldsV1": {"f:status": {"f:conditions": {"k:{\"type\":\"Ready\"}": {".": {}, "f:status": {}}}, "f:podIP": {}}}}
        ]
      },
      "spec": {
        "containers": [
          {
            "name": "app",
            "image": "registry.example.com/shop/web:1.42.0",
            "args": ["--port=8080", "--log-level=info"],
            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                      {"name": "metrics", "containerPort": 9090, "protocol": "TCP"}],
            "env": [{"name": "MODE", "value": "production"},
                    {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}}],
            "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
            "volumeMounts": [{"name": "kube-api-access-7xk2p", "readOnly": true,
                              "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
            "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                               "initialDelaySeconds": 5, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
            "terminationMessagePath": "/dev/termination-log",
            "imagePullPolicy": "IfNotPresent"
          }
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default",
        "nodeName": "node-a-3",
        "securityContext": {},
        "schedulerName": "default-scheduler",
        "tolerations": [
          {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
          {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
        ],
        "volumes": [{"name": "kube-api-access-7xk2p", "projected": {"defaultMode": 420, "sources": [
          {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
          {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}]}}],
        "priority": 0,
        "enableServiceLinks": true,
        "preemptionPolicy": "PreemptLowerPriority"
      },
      "status": {
        "phase": "Running",
        "conditions": [
          {"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-02T10:14:07Z"},
          {"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-02T10:14:12Z"},
          {"type": "ContainersReady", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-02T10:14:12Z",
           "ratio": 0.75, "weight": 2.0},
          {"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-02T10:14:07Z"}
        ],
        "hostIP": "10.0.3.17",
        "podIP": "10.244.2.31",
        "podIPs": [{"ip": "10.244.2.31"}, {"ip": "fd00:10:244:2::1f"}],
        "startTime": "2024-05-02T10:14:07Z",
        "containerStatuses": [
          {"name": "app", "state": {"running": {"startedAt": "2024-05-02T10:14:10Z"}}, "lastState": {},
           "ready": true, "restartCount": 0, "image": "registry.example.com/shop/web:1.42.0",
           "imageID": "registry.example.com/shop/web@sha256:9b2a4f0c6e1d8b7a5c3e2f1d0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b",
           "containerID": "containerd://5c0e3d1b2a49f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271605", "started": true}
        ],
        "qosClass": "Burstable"
      }
    }
    """#
}
