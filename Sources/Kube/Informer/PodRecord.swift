/// A pod as the informer keeps it: the fields it reasons about, and the object's JSON exactly as
/// the API server sent it (hooks decode that straight into Lua).
public struct PodRecord: Sendable, Equatable {
    public let key: PodKey
    public let uid: String
    public let resourceVersion: String
    /// `status.phase`, when the pod has one.
    public let phase: String?
    /// The whole object as JSON.
    public let json: [UInt8]

    public init(key: PodKey, uid: String, resourceVersion: String, phase: String?, json: [UInt8]) {
        self.key = key
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.phase = phase
        self.json = json
    }
}

/// A pod's identity in the cache: namespace and name (the UID tells incarnations apart).
public struct PodKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let namespace: String
    public let name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (a: PodKey, b: PodKey) -> Bool {
        (a.namespace, a.name) < (b.namespace, b.name)
    }
}
