/// Which pods a hook sees: those of one namespace, or of every watched namespace.
public enum HookScope: Hashable, Sendable, CustomStringConvertible {
    case namespace(String)
    case allNamespaces

    public func contains(namespace: String) -> Bool {
        switch self {
        case .namespace(let own): own == namespace
        case .allNamespaces: true
        }
    }

    /// The namespace, or nil for all of them.
    public var namespace: String? {
        if case .namespace(let name) = self { name } else { nil }
    }

    public var description: String {
        switch self {
        case .namespace(let name): "namespace \(name)"
        case .allNamespaces: "all namespaces"
        }
    }
}

/// One hook script in the hooks folder.
public struct HookFile: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Where it is on disk.
    public let path: String
    /// The path relative to the hooks folder (`default/observer.lua`): what logs and `ctx.hook` show.
    public let name: String
    public let scope: HookScope

    public init(path: String, name: String, scope: HookScope) {
        self.path = path
        self.name = name
        self.scope = scope
    }

    public var description: String { name }

    public static func < (a: HookFile, b: HookFile) -> Bool { a.name < b.name }
}
