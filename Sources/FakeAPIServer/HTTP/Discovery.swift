/// Just enough discovery for kubectl and client libraries: the core group with pods, and no
/// other groups. (Aggregated discovery is not offered; clients fall back to these documents.)
enum Discovery {
    static var version: [String: Any] { [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-kubelua-fake", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
        "platform": "linux/amd64",
    ] }

    static func apiVersions(serverAddress: String) -> [String: Any] {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": serverAddress]]]
    }

    static var coreResources: [String: Any] { [
        "kind": "APIResourceList", "groupVersion": "v1",
        "resources": [
            ["name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod",
             "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
             "shortNames": ["po"], "categories": ["all"]],
            ["name": "pods/status", "singularName": "", "namespaced": true, "kind": "Pod",
             "verbs": ["get", "patch", "update"]],
        ] as [[String: Any]],
    ] }

    static var groups: [String: Any] { ["kind": "APIGroupList", "apiVersion": "v1", "groups": [Any]()] }
}
