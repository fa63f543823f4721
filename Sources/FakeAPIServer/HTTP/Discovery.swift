/// Discovery documents built from the resource catalog: `/api`, `/apis`, `/apis/{group}` and the
/// resource lists of each group version. (Aggregated discovery is not offered; clients fall
/// back to these documents.)
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

    /// The `APIResourceList` of one group version; nil when nothing is served there.
    static func resources(group: String, version: String, catalog: ResourceCatalog) -> [String: Any]? {
        let types = catalog.all.filter { $0.group == group && $0.version == version }
        guard !types.isEmpty else { return nil }
        // The core list has no apiVersion, the groups' lists do, as the real server writes them.
        var list: [String: Any] = ["kind": "APIResourceList", "groupVersion": types[0].groupVersion,
                                   "resources": types.map(\.discoveryEntry)]
        if !group.isEmpty { list["apiVersion"] = "v1" }
        return list
    }

    static func groups(_ catalog: ResourceCatalog) -> [String: Any] {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": catalog.groups.map(groupEntry)]
    }

    static func group(_ name: String, catalog: ResourceCatalog) -> [String: Any]? {
        guard let group = catalog.groups.first(where: { $0.name == name }) else { return nil }
        var entry = groupEntry(group)
        entry["kind"] = "APIGroup"
        entry["apiVersion"] = "v1"
        return entry
    }

    private static func groupEntry(_ group: (name: String, versions: [String])) -> [String: Any] {
        let versions = group.versions.map { ["groupVersion": "\(group.name)/\($0)", "version": $0] }
        return ["name": group.name, "versions": versions, "preferredVersion": versions[0]]
    }
}
