import Kube
import Lua

extension HookDaemon {
    /// Starts the hooks when this replica becomes the leader and stands them down when it stops
    /// leading, one change at a time, in order.
    func follow(_ leadership: Leadership) async {
        for await change in leadership.changes {
            switch change {
            case .started:
                logger.info("leading: every hook starts from the state the last leader wrote", metadata: ["lease": "\(leadership.lease)"])
                await runtime.lead()
            case .stopped:
                runtime.fence()
                await standDown(leadership)
            }
        }
    }

    /// After the fence: the calls running may finish within the drain timeout, then the hooks
    /// are loaded anew, standing by.
    private func standDown(_ leadership: Leadership) async {
        let runtime = runtime
        if await DeadlineRace.run(within: drainTimeout, { await runtime.waitUntilIdle() }) == nil {
            logger.warning(
                "this replica stopped leading and the drain timeout (\(drainTimeout)) passed with handler calls still running; leaving them",
                metadata: ["lease": "\(leadership.lease)"])
        }
        await runtime.standBy()
        logger.info("standing by: the hooks are loaded and run when this replica leads again", metadata: ["lease": "\(leadership.lease)"])
    }
}
