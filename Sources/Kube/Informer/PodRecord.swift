import JSONBytes

/// A pod as the informer keeps it: the fields it reasons about, and the object's JSON exactly as
/// the API server sent it (hooks decode that straight into Lua).
public struct PodRecord: Sendable, Equatable {
    public let key: PodKey
    /// "" when the server sent none (some API emulators): incarnations are then told apart by name only.
    public let uid: String
    /// "" when the server sent none (some API emulators).
    public let resourceVersion: String
    /// `status.phase`, when the pod has one.
    public let phase: String?
    /// The whole object as JSON, with its container index, in one heap block that the cache
    /// and every hook reading this version share.
    public let json: JSONText

    public init(key: PodKey, uid: String, resourceVersion: String, phase: String?, json: JSONText) {
        self.key = key
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.phase = phase
        self.json = json
    }

    /// A record of a copy of `json` with `index` (which must index exactly these bytes, or be empty).
    public init(key: PodKey, uid: String, resourceVersion: String, phase: String?, json: [UInt8], index: JSONContainerIndex = JSONContainerIndex()) {
        self.init(key: key, uid: uid, resourceVersion: resourceVersion, phase: phase, json: JSONText(json, index: index))
    }

    /// Where the containers of `json` end, when it came through the framer (empty otherwise):
    /// lets hooks decode a field without walking what comes before it.
    public var index: JSONContainerIndex { json.index }

    /// Whether the server gave this state a resource version. One without counts as changed on
    /// every event: there is no telling whether it did.
    public var isVersioned: Bool { !resourceVersion.isEmpty }

    /// How the pod is told apart from other pods, over time: its UID, or `namespace/name` when
    /// the server sends none (an API emulator: its pods are told apart by name only). A UID
    /// never holds a "/".
    public var identity: String { uid.isEmpty ? key.description : uid }

    /// The index is derived from the JSON, so it takes no part in equality.
    public static func == (a: PodRecord, b: PodRecord) -> Bool {
        a.key == b.key && a.uid == b.uid && a.resourceVersion == b.resourceVersion && a.phase == b.phase && a.json == b.json
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
