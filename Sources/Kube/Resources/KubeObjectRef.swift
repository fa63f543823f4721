/// Names one object of any kind: `{apiVersion, kind, namespace, name[, uid]}`.
public struct KubeObjectRef: Sendable, Hashable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    /// Nil for cluster-scoped kinds (Node, Namespace).
    public var namespace: String?
    public var name: String
    /// When set, writes that support it carry it as a precondition.
    public var uid: String?

    public init(apiVersion: String, kind: String, namespace: String?, name: String, uid: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    /// `group/version` split; the core group is "".
    public var group: String { GroupVersion(apiVersion).group }
    public var version: String { GroupVersion(apiVersion).version }

    public var description: String {
        "\(kind) \(namespace.map { "\($0)/" } ?? "")\(name)"
    }
}

/// An `apiVersion` as group and version: `v1` is the core group, `batch/v1` the batch group.
public struct GroupVersion: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String

    public init(_ apiVersion: String) {
        if let slash = apiVersion.firstIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
    }

    /// Where its resources are served: `/api/v1` or `/apis/batch/v1`.
    public var path: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    public var description: String { group.isEmpty ? version : "\(group)/\(version)" }
}
