import ArgumentParser
import Foundation
import Hooks
import Lua
import Synchronization

/// Where the hooks are and the limits they run under.
struct HooksOptions: ParsableArguments {
    @Option(name: .customLong("hooks"), help: "The hooks folder: <namespace>/*.lua, _all/*.lua, _lib/*.lua.")
    var directory = "hooks"

    @Option(help: "Lua instructions a handler call may run.")
    var instructionLimit = 10_000_000

    @Option(help: "Seconds a handler call may take, waits included.")
    var timeLimit = 2.0

    @Option(help: "MiB of memory each hook script may use.")
    var memoryLimit = 64

    var sandbox: LuaSandbox { sandbox(passing: []) }

    /// The sandbox, with the named environment variables visible to `os.getenv`.
    func sandbox(passing variables: [String]) -> LuaSandbox {
        let process = ProcessInfo.processInfo.environment
        return LuaSandbox(
            limits: LuaSandboxLimits(
                instructionsPerCall: instructionLimit, timePerCall: .milliseconds(Int(timeLimit * 1000)), memory: memoryLimit << 20),
            environment: process.filter { variables.contains($0.key) })
    }

    /// The environment of the commands that print what hooks log (check, replay, demo): lines go
    /// to standard output, failures to standard error and into `failures`.
    func printingEnvironment(
        http: HTTPHelper, kube: KubeHelper, failures: FailureLog, clock: any HookClock = SystemHookClock()
    ) -> HookEnvironment {
        HookEnvironment(
            sandbox: sandbox, log: { writeLine($0.text) },
            failures: { failure in
                failures.record(failure)
                writeError(failure.report)
            },
            clock: clock, modules: { file in [.http(http), .kube(kube, for: file)] })
    }
}

/// The failures a command saw, for its exit code.
final class FailureLog: Sendable {
    private let failures = Mutex<[HookFailure]>([])
    func record(_ failure: HookFailure) { failures.withLock { $0.append(failure) } }
    var all: [HookFailure] { failures.withLock { $0 } }
}
