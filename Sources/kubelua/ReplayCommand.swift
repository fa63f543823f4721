import ArgumentParser
import Foundation
import Hooks
import Synchronization

/// `kubelua replay`: recorded events through the same event logic and handlers as `run`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Feed recorded pod events to the hooks offline and print what they log.",
        discussion: """
            FILE may hold the watch stream's NDJSON, the output of `kubectl get pods -w -o json \
            --output-watch-events`, or a `kubectl get pods -o json` list (its pods arrive as \
            initial adds). Events are handled one at a time, hook by hook in name order, so a \
            recording always prints the same lines. Exits 1 when a hook fails to load or a handler raises.
            """
    )

    @OptionGroup var hooks: HooksOptions

    @Argument(help: "Recorded events, replayed in order.")
    var files: [String]

    func run() async throws {
        let failed = Mutex(false)
        let environment = HookEnvironment(
            sandbox: hooks.sandbox, log: { writeLine($0.text) },
            failures: { failure in
                failed.withLock { $0 = true }
                writeError(failure.report)
            })
        let runtime = HookRuntime(root: hooks.directory, environment: environment)
        do {
            try await HookReplay.run(files: files, runtime: runtime)
        } catch let error as HookReplayError {
            throw ValidationError(error.message)
        }
        if failed.withLock({ $0 }) { throw ExitCode(1) }
    }
}
