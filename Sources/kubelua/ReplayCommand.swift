import ArgumentParser
import Foundation
import Hooks

/// `kubelua replay`: recorded events through the same event logic and handlers as `run`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Feed recorded pod events to the hooks offline and print what they log.",
        discussion: """
            FILE may hold the watch stream's NDJSON, the output of `kubectl get pods -w -o json \
            --output-watch-events`, or a `kubectl get pods -o json` list (its pods arrive as \
            initial adds). HTTP is disabled unless hosts are allowed with --http-allow. Events are handled one at a time, hook by hook in name order, so a \
            recording always prints the same lines. Exits 1 when a hook fails to load or a handler raises.
            """
    )

    @OptionGroup var hooks: HooksOptions
    @OptionGroup var http: HTTPOptions
    @OptionGroup var cacheOptions: CacheOptions

    @Option(name: .customLong("objects"), help: "Objects kube.get and kube.list read (a `kubectl get KIND -o json` list, any kind; repeatable).")
    var objectFiles: [String] = []

    @Argument(help: "Recorded events, replayed in order.")
    var files: [String]

    func run() async throws {
        let failures = FailureLog()
        let (helper, client) = try http.helper(disabledWithoutAllowList: true)
        try await withCleanup({ try await client?.shutdown() }) {
            let cache = cacheOptions.cache()
            do {
                let kube = KubeHelper.offline(
                    cache: cache, objects: try ReplayObjects(files: objectFiles), clusterReads: Set(hooks.clusterReads),
                    reportRefusal: HooksOptions.reportRefusal, printAction: writeLine).kube
                let runtime = HookRuntime(
                    root: hooks.directory, environment: hooks.printingEnvironment(http: helper, kube: kube, failures: failures), cache: cache)
                try await HookReplay.run(files: files, runtime: runtime)
            } catch {
                // A bad file or folder is not a usage mistake: the message alone, no usage text.
                writeError("\(error)")
                throw ExitCode(1)
            }
        }
        if !failures.all.isEmpty { throw ExitCode(1) }
    }
}
