import Foundation
import Kube
import Lua

/// What a rescan of the hooks folder changed.
public struct HookReload: Sendable {
    public var loaded: [String] = []
    public var removed: [String] = []
    public var failures: [HookFailure] = []
    /// The namespaces to watch changed (a folder appeared or went away).
    public var watchesChanged = false
}

extension HookRuntime {
    /// Rescans the folder: loads new and changed hooks (all of them when `_lib` changed), drops
    /// removed ones. A version that fails to load is reported and the previous one keeps
    /// running. Then the cache is told what each watch keeps for the hooks now loaded; where
    /// that widened, the watches relist (see `relistingWidenedWatches`) before the new
    /// versions go in. Each newly loaded version first receives `on_add` with `ctx.initial` for
    /// every pod in its scope, so it starts from the current world.
    @discardableResult
    public func reload() async throws -> HookReload {
        let layout = try HookLayout.scan(root)
        var result = HookReload()
        result.watchesChanged = layout.namespaces != self.layout?.namespaces || layout.watchesAllNamespaces != self.layout?.watchesAllNamespaces
        self.layout = layout
        if result.watchesChanged {
            watchesAllNamespaces.store(layout.watchesAllNamespaces, ordering: .relaxed)
            // Another set of watches: what the history covered no longer matches the checkpoints.
            history?.clear()
        }
        let libraries = Self.libraryContents(root)
        let librariesChanged = libraries != librarySnapshot
        librarySnapshot = libraries

        let present = Set(layout.hooks.map(\.name))
        for name in hooks.keys where !present.contains(name) {
            if let removed = hooks[name] { startedVersions.remove(ObjectIdentifier(removed)) }
            routes.withLock { $0[name] = nil }
            accounts[name] = nil
            stores[name] = nil
            loadedSources[name] = nil
            result.removed.append(name)
        }
        rejectedSources = rejectedSources.filter { present.contains($0.key) }
        refusedFiles = refusedFiles.filter { present.contains($0.key) }
        var loaded: [HookInstance] = []
        for file in layout.hooks {
            let source: [UInt8]
            do {
                guard let bytes = try HookSourceFile.read(file.path, name: file.name) else { continue }
                source = bytes
                refusedFiles[file.name] = nil
            } catch {
                if let failure = refuse(file, error) { result.failures.append(failure) }
                continue
            }
            let unchanged = loadedSources[file.name] == source && !librariesChanged
            if unchanged || (rejectedSources[file.name] == source && !librariesChanged) { continue }
            switch await load(file, source: source) {
            case .success(let instance):
                rejectedSources[file.name] = nil
                loaded.append(instance)
                result.loaded.append(file.name)
            case .failure(let failure):
                rejectedSources[file.name] = source
                result.failures.append(failure)
            }
        }
        var next = hooks
        for instance in loaded { next[instance.file.name] = instance }
        let widened = cache.keep(projections(for: Array(next.values), layout: layout))
        if !widened.isEmpty, let relistWidenedWatches { await relistWidenedWatches(widened) }
        for instance in loaded { await install(instance) }
        return result
    }

    /// Loads one version of a hook (not yet in place of the previous one).
    func load(_ file: HookFile, source: [UInt8]) async -> Result<HookInstance, HookFailure> {
        let account = accounts[file.name] ?? environment.ledger.account(file.name)
        accounts[file.name] = account
        let store = stores[file.name] ?? HookStateStore(hook: file.name, backend: stateBackend(file.name))
        stores[file.name] = store
        let instance = HookInstance(file: file, environment: environment, cache: cache, account: account, store: store)
        do {
            try await instance.load(source: source, libraries: root)
        } catch {
            let failure = HookFailure(
                hook: file.name, handler: HookFailure.loading, error: error.explained(chunk: file.path, limits: environment.sandbox.limits),
                previousVersionKeepsRunning: hooks[file.name] != nil)
            if environment.isFirstShard {
                environment.failures(failure)
                environment.metrics?.loadFailed(hook: file.name)
            }
            return .failure(failure)
        }
        if environment.isFirstShard { environment.metrics?.loaded(hook: file.name, at: Date().timeIntervalSince1970) }
        loadedSources[file.name] = source
        return .success(instance)
    }

    /// Puts a loaded version in place of the previous one, with the world it starts from (only
    /// while this replica leads).
    func install(_ instance: HookInstance) async {
        let file = instance.file
        // Under the routing lock: events routed before the swap are in the world, those after
        // are taken from it on, and come after its adds. Pods waiting for a retry move to the
        // new version first, so their retry runs with the new code, before their adds.
        if let previous = hooks[file.name] { startedVersions.remove(ObjectIdentifier(previous)) }
        let leading = routes.withLock { hooks in
            hooks[file.name]?.retire(handingOverTo: instance)
            hooks[file.name] = instance
            guard leads.load(ordering: .relaxed) else { return false }
            handWorld(to: instance)
            return true
        }
        if leading && isSynced(file.scope) { await start(instance) }
    }

    /// One new version's world (below); returns the ledger batch of its adds.
    @discardableResult
    func handWorld(to instance: HookInstance) -> Int? {
        handWorld(to: [instance])[ObjectIdentifier(instance)]
    }

    /// New versions' worlds: the pods of each one's scope as the cache holds them, as initial
    /// adds (but for `replayed` pods, whose replayed events carry them); the events after it are
    /// its own. One snapshot per scope, so versions of a scope share its array (a world is kept
    /// until it is drawn). A version whose scope's watch has not synced takes nothing until the
    /// world `synced` hands it then, which holds what the first list brought: a process starts
    /// its hooks from one world, as a reload does, not from the list's events. Called under the
    /// routing lock. Returns the ledger batch of each version's adds.
    @discardableResult
    func handWorld(to instances: [HookInstance], except replayed: Set<PodKey> = []) -> [ObjectIdentifier: Int] {
        var snapshots: [String?: (pods: [PodRecord], through: UInt64)] = [:]
        var batches: [ObjectIdentifier: Int] = [:]
        for instance in instances {
            guard isSynced(instance.file.scope) else {
                instance.awaitWorld()
                continue
            }
            let namespace = instance.file.scope.namespace
            let world = snapshots[namespace] ?? {
                let snapshot = cache.snapshot(namespace: namespace)
                guard !replayed.isEmpty || environment.shard != nil else { return snapshot }
                return (snapshot.pods.filter { !replayed.contains($0.key) && environment.owns($0.key) }, snapshot.through)
            }()
            snapshots[namespace] = world
            instance.startsAfter(world.through)
            if let batch = instance.handOverWorld(world.pods) { batches[ObjectIdentifier(instance)] = batch }
        }
        return batches
    }

    /// Where a hook's state is kept; on an elected replica only the leader writes it.
    private func stateBackend(_ hook: String) -> any HookStateBackend {
        let backend = environment.stateBackend(environment.stateKey(hook))
        guard let leadership = environment.leadership else { return backend }
        return LeaderOnlyStateBackend(backend: backend, leadership: leadership)
    }

    /// Reports a hook file that cannot be loaded at all (a FIFO, a device), once per problem;
    /// a previous version keeps running.
    private func refuse(_ file: HookFile, _ refusal: HookSourceFile.Refused) -> HookFailure? {
        guard refusedFiles[file.name] != refusal.description else { return nil }
        refusedFiles[file.name] = refusal.description
        let failure = HookFailure(hook: file.name, handler: HookFailure.loading, pod: nil, error: LuaError(kind: .runtime, message: refusal.reason))
        if environment.isFirstShard { environment.failures(failure) }
        return failure
    }

    /// The libraries `require` would load, by path under `_lib`. Files it would refuse are
    /// left out (and never opened): `require` reports them.
    private static func libraryContents(_ root: String) -> [String: [UInt8]] {
        let folder = root + "/" + HookLayout.libraryFolder
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [:] }
        var contents: [String: [UInt8]] = [:]
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".lua"), !path.hasPrefix("."),
                  let source = try? HookLibraries.read(HookLayout.libraryFolder + "/" + path, in: root) else { continue }
            contents[path] = source
        }
        return contents
    }
}
