import Foundation
import Kube
import Lua

/// The hooks of one hooks folder: loads them, routes pod events to the hooks whose scope
/// covers the pod's namespace, and keeps the current set of pods so a newly loaded hook
/// version can start from the current world.
public actor HookRuntime {
    public let root: String
    let environment: HookEnvironment
    public private(set) var layout: HookLayout?
    var hooks: [String: HookInstance] = [:]
    /// The pods as the events so far describe them.
    var pods: [PodKey: PodRecord] = [:]

    public init(root: String, environment: HookEnvironment) {
        self.root = root
        self.environment = environment
    }

    /// Names of the hooks loaded, sorted.
    public var loadedHooks: [String] { hooks.keys.sorted() }

    /// Scans the folder and loads every hook; a hook that fails to load is reported and left
    /// out, the others run. Returns the failures (also sent to the environment).
    @discardableResult
    public func loadAll() async throws -> [HookFailure] {
        let layout = try HookLayout.scan(root)
        self.layout = layout
        var failures: [HookFailure] = []
        for file in layout.hooks {
            if let failure = await load(file) { failures.append(failure) }
        }
        return failures
    }

    /// Loads (or reloads) one hook. On failure the previous version, if any, keeps running.
    func load(_ file: HookFile) async -> HookFailure? {
        let instance = HookInstance(file: file, environment: environment)
        do {
            guard let source = FileManager.default.contents(atPath: file.path) else {
                throw LuaError(kind: .runtime, message: "\(file.path): cannot read the file")
            }
            try await instance.load(source: Array(source), libraries: root)
        } catch {
            let failure = HookFailure(hook: file.name, handler: HookFailure.loading, pod: nil, error: error as? LuaError ?? LuaError(kind: .runtime, message: "\(error)"))
            environment.failures(failure)
            return failure
        }
        hooks[file.name] = instance
        return nil
    }

    /// Hands events to every hook in scope, in order, without waiting for them to be handled.
    public func dispatch(_ events: [PodEvent]) async {
        remember(events)
        for hook in hooks.values {
            let relevant = events.filter { hook.file.scope.contains(namespace: $0.pod.key.namespace) }
            if !relevant.isEmpty { await hook.enqueue(relevant) }
        }
    }

    /// Keeps the current set of pods up to date with events being dispatched.
    func remember(_ events: [PodEvent]) {
        for event in events {
            switch event.kind {
            case .add, .update: pods[event.pod.key] = event.pod
            case .delete: pods[event.pod.key] = nil
            }
        }
    }

    /// Returns once every hook has handled everything dispatched so far.
    public func waitUntilIdle() async {
        for hook in hooks.values { await hook.waitUntilIdle() }
    }
}
