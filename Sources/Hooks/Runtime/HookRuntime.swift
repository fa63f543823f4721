import Foundation
import Kube
import Lua

/// The hooks of one hooks folder: loads them, routes pod events to the hooks whose scope
/// covers the pod's namespace, and reloads them when their files change. A newly loaded hook
/// version starts from the current world: the pods of the informer's cache.
public actor HookRuntime {
    public let root: String
    /// The informer's cache the events come from (replay fills one of its own).
    public nonisolated let cache: PodCache
    let environment: HookEnvironment
    public internal(set) var layout: HookLayout?
    var hooks: [String: HookInstance] = [:]
    /// The source each loaded hook runs, and the last source that failed to load (so a broken
    /// file is reported once, not on every rescan).
    var loadedSources: [String: [UInt8]] = [:]
    var rejectedSources: [String: [UInt8]] = [:]
    /// Hook files that could not be read as scripts (a FIFO, a device), with the reason reported.
    var refusedFiles: [String: String] = [:]
    /// The contents of `_lib` the loaded hooks were built with.
    var librarySnapshot: [String: [UInt8]] = [:]
    /// The highest numeric resource version dispatched, and who waits for one.
    var dispatchedVersion = 0
    var versionWaiters: [(version: Int, continuation: CheckedContinuation<Void, Never>)] = []

    public init(root: String, environment: HookEnvironment, cache: PodCache = PodCache()) {
        self.root = root
        self.cache = cache
        self.environment = environment
    }

    /// Names of the hooks loaded, sorted.
    public var loadedHooks: [String] { hooks.keys.sorted() }

    /// The hook versions running now.
    var instances: [HookInstance] { Array(hooks.values) }

    /// Warnings about the loaded hooks (`kubelua check`): no handler, or globals read that
    /// nothing defines. See `HookLint`.
    public func lint() async -> [String] {
        var warnings: [String] = []
        for name in hooks.keys.sorted() {
            guard let hook = hooks[name], let source = loadedSources[name] else { continue }
            // Empty when listing them failed (a script that replaced `pairs`, say): no basis to judge.
            let globals = await hook.globalNames()
            if !globals.isEmpty { warnings += HookLint.warnings(for: hook.file, source: source, globals: globals) }
        }
        return warnings
    }

    /// True when a loaded hook sees pods of `namespace` (a `<namespace>/` or `_all/` hook).
    public func hasHooks(for namespace: String) -> Bool {
        hooks.values.contains { $0.file.scope.contains(namespace: namespace) }
    }

    /// Scans the folder and loads every hook; a hook that fails to load is reported and left
    /// out, the others run. Returns the failures (also sent to the environment).
    @discardableResult
    public func loadAll() async throws -> [HookFailure] {
        try await reload().failures
    }

    /// Hands events to every hook in scope, in order, without waiting for any hook: a hook whose
    /// thread is busy delays no other hook.
    public func dispatch(_ events: [PodEvent]) {
        noteDispatched(events)
        for hook in hooks.values {
            hook.enqueue(events.filter(hook.accepts))
        }
    }

    /// Returns once every hook has handled everything dispatched so far.
    public func waitUntilIdle() async {
        for hook in hooks.values { await hook.waitUntilIdle() }
    }

    /// Returns once events up to `resourceVersion` (a number, as the API server's are in
    /// practice) have been dispatched: how the demo paces its scenario.
    public func waitUntilDispatched(resourceVersion: Int) async {
        if dispatchedVersion >= resourceVersion { return }
        await withCheckedContinuation { versionWaiters.append((resourceVersion, $0)) }
    }

    func noteDispatched(_ events: [PodEvent]) {
        for event in events { dispatchedVersion = max(dispatchedVersion, Int(event.resourceVersion) ?? 0) }
        let ready = versionWaiters.filter { $0.version <= dispatchedVersion }
        versionWaiters.removeAll { $0.version <= dispatchedVersion }
        for waiter in ready { waiter.continuation.resume() }
    }
}
