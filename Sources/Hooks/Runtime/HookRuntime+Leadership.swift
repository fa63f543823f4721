import Kube

/// `run --leader-elect`: a standby loads its hooks and calls none; the leader runs them.
/// Taking over is a restart of every hook (docs/leader-election.md).
extension HookRuntime {
    /// Whether events go to the hooks and their versions start now.
    public nonisolated var isLeading: Bool { leads.load(ordering: .relaxed) }

    /// This replica became the leader: every hook starts as after a process restart. It loads
    /// the state the last leader wrote, gets its world (initial adds; `on_phase` only where the
    /// phase differs from the one remembered; tombstones for remembered pods that are gone),
    /// runs `on_start`, then its events, schedule and resync.
    public func lead() async {
        let instances = routes.withLock { hooks -> [HookInstance] in
            guard !leads.load(ordering: .relaxed) else { return [] }
            leads.store(true, ordering: .relaxed)
            for instance in hooks.values { handWorld(to: instance) }
            return hooks.keys.sorted().map { hooks[$0]! }
        }
        for instance in instances where isSynced(instance.file.scope) { await start(instance) }
    }

    /// This replica stopped leading: events no longer reach the hooks, and every version is
    /// fenced at once: no call starts, what waits is released, calls running finish.
    public nonisolated func fence() {
        routes.withLock { hooks in
            leads.store(false, ordering: .relaxed)
            for instance in hooks.values { instance.fence() }
        }
    }

    /// Back to standby once the fenced versions have finished (or been left to): every hook is
    /// loaded anew from the source it runs, its state to be read again when it next starts, so
    /// leading again is a restart, from what the leader of the meantime wrote.
    public func standBy() async {
        started.removeAll()
        for file in layout?.hooks ?? [] {
            guard let source = loadedSources[file.name] else { continue }
            stores[file.name] = nil
            if case .success(let instance) = await load(file, source: source) { await install(instance) }
        }
    }
}
