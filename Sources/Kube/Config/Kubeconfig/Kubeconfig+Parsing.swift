import Yams

extension Kubeconfig {
    /// Parses kubeconfig YAML (JSON is YAML too). `path` names the file in messages and anchors
    /// relative file references, which are resolved here as kubectl does on load.
    /// Unknown fields are ignored, as kubectl ignores them.
    public init(parsing bytes: [UInt8], path: String) throws {
        let origin = "kubeconfig \(path)"
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw KubeConfigError(.invalidYAML, origin: origin, "invalid YAML: not UTF-8 text")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw KubeConfigError(.invalidYAML, origin: origin, Self.describe(error))
        }
        let top = try YAMLFields(root, origin: origin, entry: "", what: "the document")
        let parser = KubeconfigParser(path: path, directory: KubePath.directory(of: path), top: top)
        self.init(
            path: path,
            currentContext: try top.string("current-context").flatMap { $0.isEmpty ? nil : $0 },
            clusters: try parser.entries("clusters", inner: "cluster", parser.cluster),
            users: try parser.entries("users", inner: "user", parser.user),
            contexts: try parser.entries("contexts", inner: "context", parser.context))
    }

    /// The position and problem only: Yams' own description quotes the offending line (or, for
    /// duplicate keys, the whole document), which may hold a token or a key.
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var text = "invalid YAML at line \(mark.line), column \(mark.column): \(problem)"
            if let context {
                text += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return text
        case .reader(let problem, let offset, _, _):
            return "invalid YAML: \(problem)" + (offset.map { " at character \($0)" } ?? "")
        case .duplicatedKeysInMapping(let keys, let context):
            let list = keys.map { "\"\($0)\"" }.joined(separator: ", ")
            return "invalid YAML at line \(context.mark.line), column \(context.mark.column): duplicate key \(list) in a mapping"
        default:
            return "invalid YAML: \(error)"
        }
    }
}
