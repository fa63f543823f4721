import ArgumentParser
import Foundation
import Hooks
import Kube
import Lua
import ProcessTuning
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

    @Option(help: ArgumentHelp(
        "MiB of memory all hook scripts together may use; an allocation past it fails in the hook making it. Default: half the container's cgroup memory limit, none without one.",
        valueName: "MiB"))
    var totalMemoryLimit: Int?

    @Option(name: .customLong("allow-cluster-read"), help: ArgumentHelp(
        "Let hooks of namespace folders get and list this cluster-scoped resource, e.g. nodes (repeatable; off by default).",
        valueName: "RESOURCE"))
    var clusterReads: [String] = []

    func validate() throws {
        // 0 would read as "no limit" to some and as "nothing allowed" to others: neither is offered.
        let limits: [(flag: String, value: Double?, unit: String)] = [
            ("--instruction-limit", Double(instructionLimit), "instructions"), ("--time-limit", timeLimit, "seconds"),
            ("--memory-limit", Double(memoryLimit), "MiB"), ("--total-memory-limit", totalMemoryLimit.map(Double.init), "MiB"),
        ]
        for (flag, value, unit) in limits {
            if let value, !(value > 0) { throw ValidationError("\(flag) must be a positive number of \(unit) (got \(value.formatted()))") }
        }
        let builtIn = KindNames.clusterScopedResources
        for resource in clusterReads where !builtIn.contains(resource) {
            let group = resource.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init)
            guard let group, !KindNames.isBuiltIn(group: group) else {
                throw ValidationError("""
                    --allow-cluster-read \(resource): not a cluster-scoped resource; give one of \(builtIn.sorted().joined(separator: ", ")) \
                    or a custom resource as PLURAL.GROUP (namespaced kinds are never opened beyond a hook's own namespace)
                    """)
            }
        }
    }

    var sandbox: LuaSandbox { sandbox(passing: []) }

    /// The share of the cgroup's memory limit hooks get by default: the rest is the informer's
    /// cache, the process itself and the allocator's slack (BENCHMARKS.md: about 110 MB for
    /// 10,000 pods and five small hooks).
    static let cgroupShare = 0.5

    /// The bytes all hooks together may use: the flag, else a share of the cgroup's limit.
    var totalMemoryBytes: Int? {
        if let totalMemoryLimit { return totalMemoryLimit << 20 }
        return CgroupMemory.limit().map { Int(Double($0) * Self.cgroupShare) }
    }

    /// The sandbox (one memory pool for all its states), with the named environment variables
    /// visible to `os.getenv`.
    func sandbox(passing variables: [String]) -> LuaSandbox {
        let process = ProcessInfo.processInfo.environment
        return LuaSandbox(
            limits: LuaSandboxLimits(
                instructionsPerCall: instructionLimit, timePerCall: .milliseconds(Int(timeLimit * 1000)), memory: memoryLimit << 20,
                totalMemory: totalMemoryBytes),
            environment: process.filter { variables.contains($0.key) })
    }

    /// The environment of the commands that print what hooks log (check, replay, demo): lines go
    /// to standard output, failures to standard error and into `failures`; `os.getenv` sees the
    /// `passing` variables.
    func printingEnvironment(
        http: HTTPHelper, kube: KubeHelper, failures: FailureLog, clock: any HookClock = SystemHookClock(), passing variables: [String] = []
    ) -> HookEnvironment {
        HookEnvironment(
            sandbox: sandbox(passing: variables), log: { writeLine($0.text) },
            failures: { failure in
                failures.record(failure)
                writeError(failure.report)
            },
            clock: clock, modules: { file in [.http(http), .kube(kube, for: file)] })
    }

    /// A refused `kube` call as the commands that print report it: a line on standard error.
    static func reportRefusal(_ refusal: KubeFailure) {
        writeError("refused: \(refusal.message)")
    }
}

/// The failures a command saw, for its exit code.
final class FailureLog: Sendable {
    private let failures = Mutex<[HookFailure]>([])
    func record(_ failure: HookFailure) { failures.withLock { $0.append(failure) } }
    var all: [HookFailure] { failures.withLock { $0 } }
}
