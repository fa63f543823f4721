import ArgumentParser
import Foundation
import Hooks
import Synchronization
import Kube

/// `kubelua replay`: recorded events through the same event logic and dispatch as `run`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Feed recorded pod events to the hooks offline and print what they log.",
        discussion: """
            FILE may hold the watch stream's NDJSON, the output of `kubectl get pods -w -o json \
            --output-watch-events`, or a `kubectl get pods -o json` list (its pods arrive as \
            initial adds). Exits 1 when a hook fails to load or a handler raises.
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
        try await runtime.loadAll()
        var store = PodStore()
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot read the file") }
            let entries: [PodRecording.Entry]
            do {
                entries = try PodRecording.parse(Array(bytes))
            } catch {
                throw ValidationError("\(file): \(error)")
            }
            for entry in entries {
                switch entry {
                case .list(let pods):
                    await runtime.dispatch(store.replace(with: pods, at: pods.last?.resourceVersion ?? "", initial: true))
                case .event(let event):
                    await runtime.dispatch(store.apply(event))
                }
            }
        }
        await runtime.waitUntilIdle()
        if failed.withLock({ $0 }) { throw ExitCode(1) }
    }
}
