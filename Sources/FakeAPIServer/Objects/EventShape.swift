/// Core v1 Events and events.k8s.io/v1 Events are one set of objects in a real cluster, read
/// and written in either shape. The store keeps the core shape; these convert an
/// events.k8s.io object on its way in and out (fields the two share pass unchanged).
enum EventShape {
    /// events.k8s.io/v1 field → core v1 field.
    private static let renames: [(String, String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    static func toStored(_ object: [String: Any], from type: ResourceType) -> [String: Any] {
        guard type.group == "events.k8s.io" else { return object }
        return renamed(object, renames)
    }

    static func fromStored(_ object: [String: Any], as type: ResourceType) -> [String: Any] {
        guard type.group == "events.k8s.io" else { return object }
        return renamed(object, renames.map { ($0.1, $0.0) })
    }

    private static func renamed(_ object: [String: Any], _ pairs: [(String, String)]) -> [String: Any] {
        var result = object
        for (from, _) in pairs { result[from] = nil }
        for (from, to) in pairs {
            if let value = object[from] { result[to] = value }
        }
        return result
    }
}
