/// One named entry of a kubeconfig list (`clusters`, `users`, `contexts`), remembering where it
/// was written: messages name the file and position, and relative paths resolve against it.
public struct KubeconfigEntry<Value: Sendable>: Sendable {
    public let name: String
    /// The kubeconfig file the entry comes from.
    public let file: String
    /// `users[1] "admin"`: the list, the position in that file's list, and the name.
    public let label: String
    public let value: Value

    public init(name: String, file: String, label: String, value: Value) {
        self.name = name
        self.file = file
        self.label = label
        self.value = value
    }

    /// An error about this entry: `kubeconfig FILE: LABEL: message`.
    func error(_ kind: KubeConfigError.Kind, _ message: String) -> KubeConfigError {
        site.error(kind, message)
    }
}
