import Foundation

/// A resource as API discovery lists it: what a kind is called in URLs, and where it lives.
public struct APIResource: Sendable, Hashable, CustomStringConvertible {
    public var groupVersion: GroupVersion
    /// The plural name in URLs (`pods`, `jobs`).
    public var name: String
    public var kind: String
    public var namespaced: Bool
    public var verbs: [String]

    public init(groupVersion: GroupVersion, name: String, kind: String, namespaced: Bool, verbs: [String]) {
        self.groupVersion = groupVersion
        self.name = name
        self.kind = kind
        self.namespaced = namespaced
        self.verbs = verbs
    }

    /// The path of the collection (`name` nil) or of one object, with an optional subresource.
    public func path(namespace: String?, name object: String? = nil, subresource: String? = nil) -> String {
        var path = groupVersion.path
        if namespaced, let namespace { path += "/namespaces/\(Self.segment(namespace))" }
        path += "/\(name)"
        if let object { path += "/\(Self.segment(object))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    /// `pods` in the core group, `jobs.batch` elsewhere: how RBAC rules and kubectl name it.
    public var description: String { groupVersion.group.isEmpty ? name : "\(name).\(groupVersion.group)" }

    /// Names in paths are DNS subdomains; anything else is percent-encoded so it cannot change the path.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? text
    }
}
