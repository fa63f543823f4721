/// Where a configuration error is reported: `kubeconfig /x` plus, when there is one, the entry
/// (`users[0] "eks"`). Credential sources keep one so errors at run time (a failing plugin, a
/// vanished token file) still point at the kubeconfig line that set them up.
struct ErrorSite: Sendable {
    var origin: String
    var entry: String?

    func error(_ kind: KubeConfigError.Kind, _ message: String) -> KubeConfigError {
        KubeConfigError(kind, origin: origin, entry.map { "\($0): \(message)" } ?? message)
    }
}

extension KubeconfigEntry {
    var site: ErrorSite { ErrorSite(origin: "kubeconfig \(file)", entry: label) }
}
