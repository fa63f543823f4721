/// A `users[].user.exec` credential plugin as written. Only `command` is resolved (against the
/// kubeconfig's directory, when it contains a `/`, as kubectl does); a bare name is looked up
/// in `PATH` when the plugin runs.
public struct KubeconfigExec: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public struct Variable: Sendable, Equatable {
        public var name: String
        /// Plugins are often handed secrets this way, so values never print.
        public var value: Redacted<String>

        public init(name: String, value: String) {
            self.name = name
            self.value = Redacted(value)
        }
    }

    public var command: String?
    /// Arguments can carry secrets too (`--token=...`): descriptions show only their count.
    public var args: [String]
    public var env: [Variable]
    public var apiVersion: String?
    public var installHint: String?
    public var provideClusterInfo: Bool
    public var interactiveMode: String?

    public init(
        command: String? = nil, args: [String] = [], env: [Variable] = [], apiVersion: String? = nil,
        installHint: String? = nil, provideClusterInfo: Bool = false, interactiveMode: String? = nil
    ) {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }

    public var description: String {
        let names = env.map(\.name).joined(separator: ", ")
        return "exec(command: \(command ?? "<none>"), \(args.count) args, env: [\(names)], apiVersion: \(apiVersion ?? "<none>"))"
    }

    public var debugDescription: String { description }

    /// `dump` would otherwise print the arguments.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .struct)
    }
}
