import ArgumentParser
import Foundation
import Hooks
import Selectors

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

    @Option(help: ArgumentHelp(
        "Where the virtual clock starts (RFC 3339, such as 2026-05-01T12:00:00Z): os.time(), os.date() and schedules read it; events are applied at that instant.",
        valueName: "time"))
    var clock = "2026-01-01T00:00:00Z"

    @Option(help: ArgumentHelp(
        "After the last event, move the virtual clock on this far (such as 90s, 2h, 1h30m), firing every timer, schedule tick and resync due on the way, in order.",
        valueName: "duration"))
    var advance = "0s"

    @Option(name: [.customShort("l"), .customLong("selector")], help: ArgumentHelp(
        "Only pods with these labels, e.g. app=web, as `run -l` watches them: a pod that starts matching arrives as an add, one that stops as a delete.",
        valueName: "selector"))
    var labelSelector: String?

    @Option(name: .customLong("pass-env"), help: ArgumentHelp(
        "An environment variable hooks may read with os.getenv, as with `run` (repeatable).", valueName: "NAME"))
    var passEnvironment: [String] = []

    func validate() throws {
        if let labelSelector {
            do {
                _ = try LabelSelector(parsing: labelSelector)
            } catch {
                throw ValidationError("-l/--selector: \(error)")
            }
        }
        if ISO8601DateFormatter().date(from: clock) == nil {
            throw ValidationError("--clock: '\(clock)' is not an RFC 3339 time such as 2026-05-01T12:00:00Z")
        }
        if SettingText.duration(advance) == nil {
            throw ValidationError("--advance: '\(advance)' is not a duration such as 90s, 5m, 2h or 1h30m")
        }
    }

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
                let clock = VirtualClock(wallStart: ISO8601DateFormatter().date(from: self.clock)!.timeIntervalSince1970)
                let runtime = HookRuntime(
                    root: hooks.directory, environment: hooks.printingEnvironment(
                        http: helper, kube: kube, failures: failures, clock: clock, passing: passEnvironment),
                    cache: cache)
                try await HookReplay.run(
                    files: files, runtime: runtime, advance: SettingText.duration(advance)!,
                    selector: try LabelSelector(parsing: labelSelector ?? ""))
            } catch {
                // A bad file or folder is not a usage mistake: the message alone, no usage text.
                writeError("\(error)")
                throw ExitCode(1)
            }
        }
        if !failures.all.isEmpty { throw ExitCode(1) }
    }
}
