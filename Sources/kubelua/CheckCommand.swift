import ArgumentParser
import Foundation
import Hooks
import Kube
import Synchronization

/// `kubelua check`: loads every hook as `run` would and reports each problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load every hook as `run` would; print each problem as path:line: message.",
        discussion: """
            Exits 1 when any hook fails to compile or its top level raises, and with --strict when \
            there is any warning too. Warns about a script with no handler or a misnamed one \
            (path:line: 'onDelete' is not a handler name; did you mean 'on_delete'?), reads of \
            globals and helper fields that neither the sandbox nor the script defines (io, \
            os.execute, kube.lable: did you mean 'kube.label'?), require of a module _lib/ does \
            not have, files that are never read (.lua files outside a namespace folder or in its \
            subfolders, x.LUA, a _lib/ file that defines a handler), a hooks folder without hooks, \
            and an _all folder without hooks (it widens nothing). A hook's settings table \
            (`hook = {...}`) is checked as it loads: a bad setting is a problem at path:line. \
            --verbose prints each hook's effective settings.
            """
    )

    @OptionGroup var hooks: HooksOptions

    @Flag(name: .shortAndLong, help: "Print each loaded hook's effective settings (selectors, retry, debounce, limits).")
    var verbose = false

    @Flag(help: "Exit 1 on warnings too, as on problems (for CI).")
    var strict = false

    func run() async throws {
        let failures = Mutex<[String]>([])
        // Loading runs only top-level code, which cannot wait on the API: kube reads see nothing.
        // What hooks are shown is judged as `run` shows it by default (managedFields dropped).
        let cache = PodCache(stripManagedFields: true)
        let kube = KubeHelper(
            cache: cache, backend: ReplayKubeBackend(cache: cache, printAction: { _ in }), events: KubeEventRecorder(),
            clusterReads: Set(hooks.clusterReads), reportRefusal: HooksOptions.reportRefusal)
        let environment = HookEnvironment(
            sandbox: hooks.sandbox, log: { writeLine($0.text) }, failures: { failure in failures.withLock { $0.append(failure.description) } },
            modules: { file in [.http(HTTPHelper(policy: .disabled("http is not available while checking"), client: nil)), .kube(kube, for: file)] })
        let runtime = HookRuntime(root: hooks.directory, environment: environment, cache: cache)
        do {
            try await runtime.loadAll()
        } catch {
            writeError("\(error)")
            throw ExitCode(1)
        }
        let problems = failures.withLock { $0 }
        for problem in problems { writeLine(problem) }
        let layoutWarnings = await runtime.layout?.warnings ?? []
        let warnings = layoutWarnings + (await runtime.lint())
        for warning in warnings { writeLine(warning) }
        let loaded = await runtime.loadedHooks
        if verbose {
            for (name, settings) in await runtime.settings {
                writeLine("\(name):")
                for line in settings.describe(over: hooks.sandbox.limits, strippingManagedFields: cache.stripsManagedFields) { writeLine("  \(line)") }
            }
        }
        writeError("\(loaded.count) hook(s) loaded, \(problems.count) problem(s), \(warnings.count) warning(s)")
        if !problems.isEmpty || (strict && !warnings.isEmpty) { throw ExitCode(1) }
    }
}
