import ArgumentParser
import Foundation
import Kube
import Logging
import ServiceLifecycle

/// `kubelua events`: the informer's event stream, one line per event — what hooks will see.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the pod events kubelua's informer sees, one line each.",
        discussion: """
            Each line shows the event (ADD, UPDATE, DELETE), namespace/name, the phase (before->after \
            when an update changes it), the pod's own resource version (what hooks see as \
            ctx.resource_version), and the flags `initial` (the pod existed \
            before kubelua started) and `tombstone` (the delete was inferred on a relist). A SYNCED \
            line marks the end of the initial list. Stop with Ctrl-C.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LogOptions
    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var backlog: BacklogOptions

    @Option(name: .shortAndLong, help: "Namespace to watch; repeat or separate with commas for several (default: the context's).")
    var namespace: [String] = []

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Watch all namespaces.")
    var allNamespaces = false

    @Option(name: [.customShort("l"), .customLong("selector")], help: "Label selector, e.g. app=web,tier!=db.")
    var labelSelector: String?

    @Option(name: .customLong("field-selector"), help: "Field selector, e.g. status.phase=Running.")
    var fieldSelector: String?

    /// The namespaces given, `-n a,b` and `-n a -n b` alike.
    private var namespaces: [String] {
        namespace.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func validate() throws {
        if allNamespaces && !namespace.isEmpty { throw ValidationError("use either --namespace or --all-namespaces") }
        for name in namespaces where !PodQuery.isNamespaceName(name) {
            throw ValidationError(
                "--namespace: '\(name)' is not a namespace name (lower-case letters, digits and '-', at most 63); separate several with commas")
        }
    }

    func run() async throws {
        let logger = logging.bootstrap(level: connection.logLevel)
        let cluster = try connection.connect(namespace: namespaces.first, logger: logger)
        let client = try KubeClient(connection: cluster, logger: logger)
        try await withCleanup({ try await client.shutdown() }) {
            try await run(client: client, defaultNamespace: cluster.namespace, logger: logger)
        }
    }

    private func run(client: KubeClient, defaultNamespace: String, logger: Logger) async throws {
        let namespaces: [String?] = allNamespaces ? [nil] : (self.namespaces.isEmpty ? [defaultNamespace] : self.namespaces)
        let queries = namespaces.map { PodQuery(namespace: $0, labelSelector: labelSelector, fieldSelector: fieldSelector) }
        // Reflectors must not wait on a terminal or pipe: they hand updates to a buffer.
        let updates = InformerUpdateBuffer(), ledger = backlog.ledger()
        let printing = ledger.account("printer")
        let informer = PodInformer(client: client, cache: cacheOptions.cache(), ledger: ledger, logger: logger) { update in
            if case .events(let events) = update, !events.isEmpty { _ = printing.reserve(events.count, at: 0) }
            updates.deliver(update)
        }
        let group = ServiceGroup(configuration: .init(
            services: [UpdatePrinter(updates: updates, printing: printing), PodInformer.Watching(informer, queries: queries)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Writes a line to standard output at once, so pipes see events as they happen.
func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func writeError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
