import ArgumentParser
import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import ServiceLifecycle

/// `kubelua demo`: kubelua against its built-in API server, over real HTTP.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the hooks against a built-in API server while a short scenario plays.",
        discussion: """
            Starts a fake Kubernetes API server on 127.0.0.1, runs kubelua's informer and the hooks \
            against it over HTTP, and plays a scenario in namespace default: a bare pod, a Job's pod, \
            a Deployment's two replicas and a crash-looping pod. Lines starting with --- narrate the \
            scenario; the others are what the hooks print. Exits 1 when no hook covers namespace \
            default (HOOKS/default/ or HOOKS/_all/).
            """
    )

    @OptionGroup var hooks: HooksOptions

    @Option(name: .customLong("log-level"), help: "kubelua's own log level (its logs go to standard error).")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let logger = LogOptions.bootstrap(format: .text, level: logLevel)
        let failures = FailureLog()
        let http = HTTPHelper(policy: .disabled("http is disabled in the demo"), client: nil)
        let server = FakeAPIServer()
        try await withCleanup({ try await server.shutdown() }) {
            try await server.start()
            let connection = KubeConnection(server: URL(string: server.baseURL)!, namespace: DemoScenario.namespace, origin: "kubelua demo")
            let client = try KubeClient(connection: connection, logger: logger)
            try await withCleanup({ try await client.shutdown() }) {
                let cache = PodCache()
                let kube = KubeHelper(
                    cache: cache, backend: LiveKubeBackend(client: client, logger: logger), events: KubeEventRecorder(),
                    clusterReads: Set(hooks.clusterReads), reportRefusal: HooksOptions.reportRefusal)
                let runtime = HookRuntime(
                    root: hooks.directory, environment: hooks.printingEnvironment(http: http, kube: kube, failures: failures), cache: cache,
                    startsOnSync: true)
                try await runtime.loadAll()
                guard await runtime.hasHooks(for: DemoScenario.namespace) else {
                    writeError("""
                        \(hooks.directory): no hooks for namespace \(DemoScenario.namespace), where the demo plays: add \
                        \(hooks.directory)/\(DemoScenario.namespace)/NAME.lua or \(hooks.directory)/_all/NAME.lua \
                        (the repository's hooks/default/observer.lua is one)
                        """)
                    throw ExitCode(1)
                }
                let daemon = HookDaemon(runtime: runtime, client: client, monitor: nil, logger: logger)
                let group = ServiceGroup(configuration: .init(services: [daemon], logger: logger))
                try await withThrowingDiscardingTaskGroup { tasks in
                    tasks.addTask { try await group.run() }
                    _ = await server.waitForRequest(.watch)
                    try await DemoScenario(server: server, daemon: daemon).play()
                    await group.triggerGracefulShutdown()
                }
            }
        }
        if !failures.all.isEmpty { throw ExitCode(1) }
    }
}
