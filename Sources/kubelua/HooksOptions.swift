import ArgumentParser
import Foundation
import Hooks
import Lua

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
}
