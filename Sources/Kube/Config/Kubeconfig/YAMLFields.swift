import Yams

/// Typed reads from one YAML mapping, throwing errors that name the file, the entry and the
/// field (`kubeconfig F: users[1] "admin": exec.args: expected a list`). Null counts as absent,
/// as it does for kubectl.
struct YAMLFields {
    let mapping: Node.Mapping?
    let origin: String
    /// The entry label (`users[1] "admin"`), empty at the top level.
    let entry: String
    /// Prepended to keys in messages, `exec.` inside an exec block.
    let keyPrefix: String

    /// Fields of `node`, which must be a mapping or absent.
    init(_ node: Node?, origin: String, entry: String, keyPrefix: String = "", what: String) throws {
        self.origin = origin
        self.entry = entry
        self.keyPrefix = keyPrefix
        guard let node, !Self.isNull(node) else {
            self.mapping = nil
            return
        }
        guard case .mapping(let mapping) = node else {
            self.mapping = nil
            throw fail(.invalidField, "\(what): expected a mapping, found \(Self.kind(of: node))")
        }
        self.mapping = mapping
    }

    func fail(_ kind: KubeConfigError.Kind, _ message: String) -> KubeConfigError {
        KubeConfigError(kind, origin: origin, entry.isEmpty ? message : "\(entry): \(message)")
    }

    func node(_ key: String) -> Node? {
        guard let node = mapping?[key], !Self.isNull(node) else { return nil }
        return node
    }

    func string(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            throw fail(.invalidField, "\(keyPrefix)\(key): expected a string, found \(Self.kind(of: node))")
        }
        return scalar.string
    }

    /// YAML 1.1 booleans, as kubectl's YAML reader accepts them.
    func bool(_ key: String) throws -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(.invalidField, "\(keyPrefix)\(key): expected true or false, found \"\(text)\"")
        }
    }

    func sequence(_ key: String) throws -> [Node] {
        guard let node = node(key) else { return [] }
        guard case .sequence(let sequence) = node else {
            throw fail(.invalidField, "\(keyPrefix)\(key): expected a list, found \(Self.kind(of: node))")
        }
        return Array(sequence)
    }

    func fields(_ key: String) throws -> YAMLFields {
        try YAMLFields(node(key), origin: origin, entry: entry, keyPrefix: "\(keyPrefix)\(key).", what: "\(keyPrefix)\(key)")
    }

    func has(_ key: String) -> Bool { node(key) != nil }

    static func isNull(_ node: Node) -> Bool {
        if case .scalar = node { return node.null != nil }
        return false
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
