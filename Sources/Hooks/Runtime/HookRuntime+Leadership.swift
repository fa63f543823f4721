import Kube

/// `run --leader-elect`: a standby loads its hooks and calls none; the leader runs them.
/// Taking over is a restart of every hook (docs/leader-election.md).
extension HookRuntime {
    /// Whether events go to the hooks and their versions start now.
    public nonisolated var isLeading: Bool { leads.load(ordering: .relaxed) }

    /// This replica became the leader: every hook starts as after a process restart, but for
    /// the pods the history replays. It loads the state the last leader wrote; the events this
    /// replica saw as a standby after the last leader's checkpoint come again, marked
    /// `ctx.replayed` (for watches the history reaches back that far); every other pod is an
    /// initial add (`on_phase` only where the phase differs from the one remembered);
    /// remembered pods that are gone come as tombstones; then `on_start`, the events, schedule
    /// and resync. Returns what was replayed, for the log.
    @discardableResult
    public func lead() async -> EventHistory.Replay {
        let checkpoint = environment.leadership?.observedCheckpoint
        let (instances, replay) = routes.withLock { hooks -> ([HookInstance], EventHistory.Replay) in
            guard !leads.load(ordering: .relaxed) else { return ([], EventHistory.Replay()) }
            leads.store(true, ordering: .relaxed)
            let replay = history?.takeOver(after: checkpoint) ?? EventHistory.Replay()
            let events = replay.events.map(\.asReplayed)
            checkpoints?.reset(from: checkpoint)
            let instances = Array(hooks.values)
            let worlds = handWorld(to: instances, except: replay.pods)
            var holds: [CheckpointTracker.Hold] = []
            for instance in instances {
                let batches = [worlds[ObjectIdentifier(instance)], instance.handOverReplay(events)]
                for case let batch? in batches { holds.append(CheckpointTracker.Hold(account: instance.account, batch: batch)) }
            }
            checkpoints?.handedOver(through: replay.through, holds: holds, at: environment.clock.now)
            return (hooks.keys.sorted().map { hooks[$0]! }, replay)
        }
        for instance in instances where isSynced(instance.file.scope) { await start(instance) }
        return replay
    }

    /// This replica stopped leading: events no longer reach the hooks, and every version is
    /// fenced at once: no call starts, what waits is released, calls running finish.
    public nonisolated func fence() {
        routes.withLock { hooks in
            stopRouting()
            for instance in hooks.values { instance.fence() }
        }
    }

    /// Still leading, another replica's turn next (shards): events no longer reach the hooks,
    /// which finish what they took (`HookDaemon`'s hand-over, before the lease is released).
    public nonisolated func stopTaking() {
        routes.withLock { _ in stopRouting() }
    }

    /// Under the routing lock: events go to the history from now on, which covers from the last
    /// delivery the hooks took.
    private nonisolated func stopRouting() {
        if leads.exchange(false, ordering: .relaxed) { history?.resume(after: checkpoints?.handedThrough ?? [:]) }
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
