import Kube
import Lua

extension HookDaemon {
    /// Starts the hooks when this replica becomes the leader and stands them down when it stops
    /// leading, one change at a time, in order. While it leads, it publishes a checkpoint every
    /// `checkpointInterval` for the elector's renewals to carry. With shards, one per shard runtime.
    func follow(_ leadership: Leadership, runtime: HookRuntime) async {
        var publishing: Task<Void, Never>?
        for await change in leadership.changes {
            switch change {
            case .started:
                let replay = await runtime.lead()
                logTakeover(replay, leadership)
                publishing = Task { [runtime, checkpointInterval] in
                    let clock = runtime.environment.clock
                    while !Task.isCancelled {
                        await runtime.publishCheckpoint()
                        do { try await clock.sleep(until: clock.now + checkpointInterval.nanoseconds) } catch { return }
                    }
                }
            case .stopped:
                publishing?.cancel()
                publishing = nil
                runtime.fence()
                await standDown(leadership, runtime: runtime)
            case .handOver:
                await handOver(leadership, runtime: runtime)
            }
        }
        publishing?.cancel()
    }

    private func logTakeover(_ replay: EventHistory.Replay, _ leadership: Leadership) {
        let checkpoint = leadership.observedCheckpoint.map(\.annotationValue) ?? "none"
        logger.info(
            "leading: every hook starts from the state the last leader wrote; \(replay.events.count) event(s) seen after its checkpoint are replayed",
            metadata: ["lease": "\(leadership.lease)", "checkpoint": "\(checkpoint)", "replayed": .stringConvertible(replay.events.count)])
        for (watch, reason) in replay.uncovered {
            logger.info(
                "no replay for this watch: \(reason); its pods come as initial adds (on_phase only where the phase differs from the one remembered)",
                metadata: ["lease": "\(leadership.lease)", "watch": "\(watch.isEmpty ? HookLayout.allNamespacesFolder : watch)"])
        }
    }

    /// Another replica's turn, while this one still leads: new events go to the history, what
    /// the hooks took is handled (debounce windows closed, within the drain timeout), the
    /// checkpoint that covers it is published, and only then may the elector release, so the
    /// next holder starts nothing this one is still running and replays only what it did not do.
    private func handOver(_ leadership: Leadership, runtime: HookRuntime) async {
        runtime.stopTaking()
        if await DeadlineRace.run(within: drainTimeout, { await runtime.drain() }) == nil {
            logger.warning(
                "handing over: the drain timeout (\(drainTimeout)) passed with handler calls still running; releasing anyway (the next holder replays their events)",
                metadata: ["lease": "\(leadership.lease)"])
        }
        await runtime.publishCheckpoint()
        leadership.handedOver()
    }

    /// After the fence: the calls running may finish within the drain timeout, then the hooks
    /// are loaded anew, standing by.
    private func standDown(_ leadership: Leadership, runtime: HookRuntime) async {
        if await DeadlineRace.run(within: drainTimeout, { await runtime.waitUntilIdle() }) == nil {
            logger.warning(
                "this replica stopped leading and the drain timeout (\(drainTimeout)) passed with handler calls still running; leaving them",
                metadata: ["lease": "\(leadership.lease)"])
        }
        await runtime.standBy()
        logger.info("standing by: the hooks are loaded and run when this replica leads again", metadata: ["lease": "\(leadership.lease)"])
    }
}
