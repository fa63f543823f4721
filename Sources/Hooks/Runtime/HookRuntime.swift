import Foundation
import Kube
import Lua
import Synchronization

/// The hooks of one hooks folder: loads them, routes pod events to the hooks whose scope
/// covers the pod's namespace, and reloads them when their files change. A newly loaded hook
/// version starts from the current world: the pods of the informer's cache. Routing reads the
/// hooks under a lock, not through the actor, so a watch hands events over without a hop.
public actor HookRuntime {
    public let root: String
    /// The informer's cache the events come from (replay fills one of its own).
    public nonisolated let cache: PodCache
    let environment: HookEnvironment
    public internal(set) var layout: HookLayout?
    /// The hook version running now under each name: events go to these. A reload replaces one
    /// under this lock, with the world it starts from, so no event falls between the two.
    nonisolated let routes = Mutex<[String: HookInstance]>([:])
    /// The source each loaded hook runs, and the last source that failed to load (so a broken
    /// file is reported once, not on every rescan).
    var loadedSources: [String: [UInt8]] = [:]
    var rejectedSources: [String: [UInt8]] = [:]
    /// Hook files that could not be read as scripts (a FIFO, a device), with the reason reported.
    var refusedFiles: [String: String] = [:]
    /// The contents of `_lib` the loaded hooks were built with.
    var librarySnapshot: [String: [UInt8]] = [:]
    /// Each hook's part of the backlog ledger, and its state, kept across its versions.
    var accounts: [String: BacklogLedger.Account] = [:]
    var stores: [String: HookStateStore] = [:]
    /// Hooks that have had a version started in this process (`ctx.reload` of `on_start`), and
    /// the versions started (marked before their `on_start` runs, so none starts twice).
    var started: Set<String> = []
    var startedVersions: Set<ObjectIdentifier> = []
    /// Whether hooks start (`on_start`, then their events) only once the watch of their scope has
    /// synced (`kubelua run`); else as soon as they load.
    public nonisolated let startsOnSync: Bool
    /// The watches synced so far, by namespace (nil: all namespaces).
    var syncedScopes: Set<String?> = []
    /// Relists the watches (by namespace) whose projection a reload widened; see
    /// `relistingWidenedWatches`.
    var relistWidenedWatches: (@Sendable (Set<String?>) async -> Void)?
    /// Whether events go to the hooks and their versions start. A runtime of an elected replica
    /// (`environment.leadership`) starts as a standby: its hooks load, nothing else. Written
    /// only under the routing lock, so that a dispatch sees it and the versions agree.
    nonisolated let leads: Atomic<Bool>
    /// On an elected replica: what it saw while standing by, to replay when it takes over, and
    /// how far the hooks have got while it leads (docs/leader-election.md, "Checkpoints").
    public nonisolated let history: EventHistory?
    nonisolated let checkpoints: CheckpointTracker?
    /// Whether one watch covers all namespaces (its checkpoint key is ""), else one per namespace.
    nonisolated let watchesAllNamespaces = Atomic<Bool>(false)

    public init(
        root: String, environment: HookEnvironment, cache: PodCache = PodCache(), startsOnSync: Bool = false,
        history: EventHistory.Limits = EventHistory.Limits()
    ) {
        self.startsOnSync = startsOnSync
        self.root = root
        self.cache = cache
        self.environment = environment
        leads = Atomic(environment.leadership == nil)
        self.history = environment.leadership.map { _ in EventHistory(limits: history) }
        checkpoints = environment.leadership.map { _ in CheckpointTracker() }
    }

    /// Names of the hooks loaded, sorted.
    public var loadedHooks: [String] { hooks.keys.sorted() }

    /// The hook versions running now, by name.
    nonisolated var hooks: [String: HookInstance] { routes.withLock { $0 } }

    /// The hook versions running now.
    nonisolated var instances: [HookInstance] { Array(hooks.values) }

    /// Warnings about the loaded hooks (`kubelua check`): no handler, or globals read that
    /// nothing defines. See `HookLint`.
    public func lint() async -> [String] {
        var warnings: [String] = []
        for name in hooks.keys.sorted() {
            guard let hook = hooks[name], let source = loadedSources[name] else { continue }
            // Empty when listing them failed (a script that replaced `pairs`, say): no basis to judge.
            let globals = await hook.globalNames()
            if !globals.isEmpty { warnings += HookLint.warnings(for: hook.file, source: source, globals: globals, root: root, view: hook.view) }
        }
        return warnings + HookLint.libraryWarnings(root: root)
    }

    /// The watch of `namespace` (nil: all) has applied its first list: the hooks it covers that
    /// wait for it get their world and start now.
    public func synced(_ namespace: String?) async {
        syncedScopes.insert(namespace)
        guard isLeading else { return }
        let waiting = routes.withLock { hooks in
            let waiting = hooks.keys.sorted().map { hooks[$0]! }.filter {
                !startedVersions.contains(ObjectIdentifier($0)) && isSynced($0.file.scope)
            }
            let worlds = handWorld(to: waiting.filter(\.awaitsWorld))
            let holds = waiting.compactMap { version in worlds[ObjectIdentifier(version)].map { CheckpointTracker.Hold(account: version.account, batch: $0) } }
            checkpoints?.worldsHandedOver(watch: watchKey(namespace), holds: holds, at: environment.clock.now)
            return waiting
        }
        for hook in waiting where hooks[hook.file.name] === hook { await start(hook) }
    }

    func isSynced(_ scope: HookScope) -> Bool {
        !startsOnSync || syncedScopes.contains(nil) || scope.namespace.map { syncedScopes.contains($0) } == true
    }

    func start(_ hook: HookInstance) async {
        guard startedVersions.insert(ObjectIdentifier(hook)).inserted else { return }
        let reload = started.contains(hook.file.name)
        started.insert(hook.file.name)
        await hook.start(reload: reload)
    }

    /// Each loaded hook's settings, by name.
    public var settings: [(String, HookSettings)] {
        get async {
            var all: [(String, HookSettings)] = []
            for name in hooks.keys.sorted() { all.append((name, hooks[name]!.settings)) }
            return all
        }
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
    /// thread is busy delays no other hook. Watches may call it at once; the routing lock
    /// takes them one at a time (a pod's events all come from one watch, in order).
    public nonisolated func dispatch(_ events: [PodEvent]) {
        guard !events.isEmpty else { return }
        routes.withLock { hooks in
            guard leads.load(ordering: .relaxed) else {
                history?.record(events, watch: watchKey(events[0].pod.key.namespace), checkpoint: environment.leadership?.observedCheckpoint)
                return
            }
            guard let checkpoints else {
                for hook in hooks.values { hook.handOver(events) }
                return
            }
            var holds: [CheckpointTracker.Hold] = []
            for hook in hooks.values {
                if let batch = hook.handOver(events) { holds.append(CheckpointTracker.Hold(account: hook.account, batch: batch)) }
            }
            guard let version = UInt64(events[events.count - 1].resourceVersion) else { return }
            let namespace = events[0].pod.key.namespace, watch = watchKey(namespace)
            if hooks.values.contains(where: { $0.awaitsWorld && $0.file.scope.contains(namespace: namespace) }) {
                checkpoints.handedOverBeforeWorld(watch: watch, through: version, holds: holds)
            } else {
                checkpoints.handedOver(through: [watch: version], holds: holds, at: environment.clock.now)
            }
        }
    }

    /// The checkpoint key of the watch a pod of `namespace` comes from (a delivery is all of one watch).
    public nonisolated func watchKey(_ namespace: String?) -> String {
        watchesAllNamespaces.load(ordering: .relaxed) ? "" : namespace ?? ""
    }

    /// Hands an update from the informer to the hooks (its events; what a `synced` mark means
    /// is the caller's). Returns the events. Never waits for a hook, so a watch calls it on its
    /// own task.
    @discardableResult
    public nonisolated func dispatch(_ update: InformerUpdate) -> [PodEvent] {
        guard case .events(let events) = update else { return [] }
        dispatch(events)
        return events
    }

    /// Returns once every hook has handled everything dispatched so far that is not waiting
    /// for its time (a retry, a debounce window).
    public func waitUntilIdle() async {
        for hook in hooks.values { await hook.waitUntilIdle() }
    }

    /// Shutdown: every debounce window closes, then in-flight and queued calls run (events
    /// waiting for a retry stay behind), then each hook's state is written. Returns how many
    /// events are left unfinished.
    public func drain() async -> Int {
        for hook in hooks.values { hook.closeWindows() }
        await waitUntilIdle()
        await writeState()
        return hooks.values.reduce(0) { $0 + $1.account.count }
    }

    /// Writes every hook's state that changed; a failure is reported and the rest go on.
    /// Returns whether all of it was written.
    @discardableResult
    public func writeState() async -> Bool {
        var written = true
        for name in stores.keys.sorted() {
            guard let store = stores[name], store.backend.persists, let error = await store.flush() else { continue }
            written = false
            environment.failures(HookFailure(hook: name, handler: "state", error: LuaError(
                kind: .runtime, message: "cannot write the hook's state: \(error)")))
        }
        return written
    }

    /// The leader's checkpoint (`run --leader-elect`): how far every hook has handled each
    /// watch, taken before the state is written and published only once all of it is, so the
    /// Lease never says more was handled than the state the next leader reads reflects.
    /// Returns what it published.
    @discardableResult
    public func publishCheckpoint() async -> LeaseCheckpoint? {
        // While the lease is held: also after `stopTaking`, for the hand-over's last checkpoint.
        guard let checkpoints, let leadership = environment.leadership, isLeading || leadership.isLeading else { return nil }
        let checkpoint = checkpoints.checkpoint()
        guard await writeState() else { return nil }
        leadership.publish(checkpoint)
        return checkpoint
    }
}
