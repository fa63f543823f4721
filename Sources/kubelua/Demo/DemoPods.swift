import Foundation

/// Pod objects for the demo, shaped like the API server's.
enum DemoPods {
    static func pod(
        _ name: String, image: String = "busybox:1.36", command: [String]? = nil, owner: (apiVersion: String, kind: String, name: String)? = nil
    ) -> [String: Any] {
        var metadata: [String: Any] = ["name": name, "namespace": DemoScenario.namespace, "labels": ["app": name.components(separatedBy: "-").first ?? name]]
        if let owner {
            metadata["ownerReferences"] = [[
                "apiVersion": owner.apiVersion, "kind": owner.kind, "name": owner.name, "uid": UUID().uuidString.lowercased(),
                "controller": true, "blockOwnerDeletion": true,
            ]]
        }
        var container: [String: Any] = ["name": "main", "image": image, "resources": [:] as [String: Any]]
        if let command { container["command"] = command }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": ["containers": [container], "restartPolicy": owner == nil ? "Never" : "OnFailure"],
            "status": ["phase": "Pending", "qosClass": "BestEffort"],
        ]
    }

    /// The scheduler's update: a node and a condition, the phase stays Pending.
    static func schedule(_ pod: inout [String: Any]) {
        var spec = pod["spec"] as? [String: Any] ?? [:]
        spec["nodeName"] = "demo-node"
        pod["spec"] = spec
        var status = pod["status"] as? [String: Any] ?? [:]
        status["conditions"] = [["type": "PodScheduled", "status": "True"]]
        pod["status"] = status
    }

    static func crashLoop(_ pod: inout [String: Any], restarts: Int) {
        var status = pod["status"] as? [String: Any] ?? [:]
        status["containerStatuses"] = [[
            "name": "main", "ready": false, "restartCount": restarts, "image": "busybox:1.36",
            "state": ["waiting": ["reason": "CrashLoopBackOff", "message": "back-off restarting failed container"]],
            "lastState": ["terminated": ["exitCode": 1, "reason": "Error"]],
        ]]
        pod["status"] = status
    }

    /// Random lower-case letters and digits, like the names controllers generate.
    static func suffix(_ length: Int) -> String {
        String((0..<length).map { _ in "bcdfghjklmnpqrstvwxz2456789".randomElement()! })
    }
}
