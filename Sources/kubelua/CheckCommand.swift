import ArgumentParser
import Foundation
import Hooks
import Synchronization

/// `kubelua check`: loads every hook as `run` would and reports each problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load every hook as `run` would; print each problem as path:line: message.",
        discussion: "Exits 1 when any hook fails to compile or its top level raises."
    )

    @OptionGroup var hooks: HooksOptions

    func run() async throws {
        let failures = Mutex<[String]>([])
        let environment = HookEnvironment(
            sandbox: hooks.sandbox, log: { writeLine($0.text) }, failures: { failure in failures.withLock { $0.append(failure.description) } },
            modules: { _ in [.http(HTTPHelper(policy: .disabled("http is not available while checking"), client: nil))] })
        let runtime = HookRuntime(root: hooks.directory, environment: environment)
        do {
            try await runtime.loadAll()
        } catch {
            writeError("\(error)")
            throw ExitCode(1)
        }
        for warning in await runtime.layout?.warnings ?? [] { writeError(warning) }
        let problems = failures.withLock { $0 }
        for problem in problems { writeLine(problem) }
        let loaded = await runtime.loadedHooks
        writeError("\(loaded.count) hook(s) loaded, \(problems.count) problem(s)")
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
