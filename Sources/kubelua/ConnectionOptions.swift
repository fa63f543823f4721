import ArgumentParser
import Kube
import Logging

/// How to reach the cluster, as kubectl takes it.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config; in a pod, its service account).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Option(name: .customLong("log-level"), help: "kubelua's own log level.")
    var logLevel: Logger.Level = .info

    func connect(namespace: String?, logger: Logger) throws -> KubeConnection {
        try KubeConnection.fromEnvironment(
            KubeConfigOptions(kubeconfig: kubeconfig, context: context, namespace: namespace), environment: .current, logger: logger)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
