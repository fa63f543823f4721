import Yams

/// Turns the lists of one kubeconfig into entries: checks names, resolves file references
/// against the file's directory, keeps secrets redacted.
struct KubeconfigParser {
    let path: String
    let directory: String
    let top: YAMLFields

    /// `clusters`, `users` or `contexts`: each item a mapping with a unique `name` and the
    /// `inner` mapping. A repeated name in one file is an error, as in kubectl.
    func entries<Value>(
        _ list: String, inner: String, _ parse: (YAMLFields) throws -> Value
    ) throws -> [KubeconfigEntry<Value>] {
        var result: [KubeconfigEntry<Value>] = []
        var firstIndex: [String: Int] = [:]
        for (index, node) in try top.sequence(list).enumerated() {
            let position = "\(list)[\(index)]"
            let item = try YAMLFields(node, origin: top.origin, entry: position, what: "item")
            guard let name = try item.string("name"), !name.isEmpty else {
                throw item.fail(.missingField, "name: missing")
            }
            let label = "\(position) \"\(name)\""
            if let first = firstIndex[name] {
                throw top.fail(.invalidField, "\(label): duplicate name (also \(list)[\(first)])")
            }
            firstIndex[name] = index
            let fields = try YAMLFields(item.node(inner), origin: top.origin, entry: label, what: inner)
            result.append(KubeconfigEntry(name: name, file: path, label: label, value: try parse(fields)))
        }
        return result
    }

    func cluster(_ fields: YAMLFields) throws -> KubeconfigCluster {
        KubeconfigCluster(
            server: try fields.string("server"),
            certificateAuthority: try file(fields, "certificate-authority"),
            certificateAuthorityData: try nonEmpty(fields, "certificate-authority-data"),
            insecureSkipTLSVerify: try fields.bool("insecure-skip-tls-verify") ?? false,
            tlsServerName: try nonEmpty(fields, "tls-server-name"),
            proxyURL: try nonEmpty(fields, "proxy-url"))
    }

    func user(_ fields: YAMLFields) throws -> KubeconfigUser {
        var user = KubeconfigUser()
        user.token = try nonEmpty(fields, "token").map(Redacted.init)
        user.tokenFile = try file(fields, "tokenFile")
        user.clientCertificate = try file(fields, "client-certificate")
        user.clientCertificateData = try nonEmpty(fields, "client-certificate-data")
        user.clientKey = try file(fields, "client-key")
        user.clientKeyData = try nonEmpty(fields, "client-key-data").map(Redacted.init)
        user.username = try nonEmpty(fields, "username")
        user.password = try nonEmpty(fields, "password").map(Redacted.init)
        if fields.has("exec") { user.exec = try exec(try fields.fields("exec")) }
        if fields.has("auth-provider") {
            user.authProvider = try fields.fields("auth-provider").string("name") ?? ""
        }
        user.impersonation = ["as", "as-uid", "as-groups", "as-user-extra"].filter(fields.has)
        return user
    }

    func context(_ fields: YAMLFields) throws -> KubeconfigContext {
        KubeconfigContext(
            cluster: try nonEmpty(fields, "cluster"),
            user: try nonEmpty(fields, "user"),
            namespace: try nonEmpty(fields, "namespace"))
    }

    func exec(_ fields: YAMLFields) throws -> KubeconfigExec {
        var exec = KubeconfigExec()
        // A command with a slash is a path, relative to the kubeconfig; a bare name is for PATH.
        exec.command = try nonEmpty(fields, "command").map {
            $0.contains("/") ? KubePath.resolve($0, against: directory) : $0
        }
        exec.args = try fields.sequence("args").enumerated().map { index, node in
            guard case .scalar(let scalar) = node else {
                throw fields.fail(.invalidField, "exec.args[\(index)]: expected a string")
            }
            return scalar.string
        }
        exec.env = try fields.sequence("env").enumerated().map { index, node in
            let variable = try YAMLFields(node, origin: top.origin, entry: fields.entry,
                                          keyPrefix: "exec.env[\(index)].", what: "exec.env[\(index)]")
            guard let name = try variable.string("name"), !name.isEmpty else {
                throw fields.fail(.missingField, "exec.env[\(index)].name: missing")
            }
            return KubeconfigExec.Variable(name: name, value: try variable.string("value") ?? "")
        }
        exec.apiVersion = try nonEmpty(fields, "apiVersion")
        exec.installHint = try nonEmpty(fields, "installHint")
        exec.provideClusterInfo = try fields.bool("provideClusterInfo") ?? false
        exec.interactiveMode = try nonEmpty(fields, "interactiveMode")
        return exec
    }

    /// kubectl treats an empty string like an absent field.
    private func nonEmpty(_ fields: YAMLFields, _ key: String) throws -> String? {
        guard let value = try fields.string(key), !value.isEmpty else { return nil }
        return value
    }

    private func file(_ fields: YAMLFields, _ key: String) throws -> String? {
        try nonEmpty(fields, key).map { KubePath.resolve($0, against: directory) }
    }
}
