import Foundation

extension ExecPlugin {
    /// A path is used as is; a bare name is searched in `PATH`, as kubectl does.
    func locate() throws -> String {
        let fileSystem = environment.fileSystem
        if command.contains("/") {
            guard fileSystem.identity(of: command) != nil else {
                throw site.error(.execPlugin, "\(name): \(command) does not exist\(hint)")
            }
            guard fileSystem.isExecutableFile(command) else {
                throw site.error(.execPlugin, "\(name): \(command) is not an executable file")
            }
            return command
        }
        let directories = (environment.variables["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in directories {
            let candidate = KubePath.clean(directory + "/" + command)
            if fileSystem.isExecutableFile(candidate) { return candidate }
        }
        let searched = directories.isEmpty ? "PATH is empty" : "PATH is \(directories.joined(separator: ":"))"
        throw site.error(.execPlugin, "\(name): command not found: \"\(command)\" is not in PATH (\(searched)); install it or give its full path in the kubeconfig\(hint)")
    }

    var hint: String {
        installHint.map { "; install hint: \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
    }

    /// The process environment plus the plugin's `env`, then `KUBERNETES_EXEC_INFO`.
    func processEnvironment() -> [String: String] {
        var variables = environment.variables
        for variable in self.variables { variables[variable.name] = variable.value.value }
        variables["KUBERNETES_EXEC_INFO"] = execInfo()
        return variables
    }

    /// `{"apiVersion":...,"kind":"ExecCredential","spec":{"interactive":false}}`, plus
    /// `spec.cluster` when the kubeconfig asks for it.
    func execInfo() -> String {
        var spec: [String: Any] = ["interactive": false]
        if let clusterInfo { spec["cluster"] = clusterInfo.json }
        let object: [String: Any] = ["apiVersion": apiVersion, "kind": "ExecCredential", "spec": spec]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
