import AsyncHTTPClient
import JSONBytes

extension PodReflector {
    /// Reads one watch until the machine begins the next step (or the stream ends); returns
    /// the actions from that step on. The actions of each chunk are carried out by `perform`
    /// as they come, their deliveries merged so that consumers get one hand-over per chunk.
    func watch(_ request: ReflectorStateMachine.WatchRequest, on machine: inout ReflectorStateMachine) async -> [ReflectorStateMachine.Action] {
        let started = now()
        let body: HTTPClientResponse.Body
        do {
            body = try await client.watchPods(query, request)
        } catch {
            let next = machine.watchFailed(error)
            reportFailure(of: .watch, error, then: next)
            return next
        }
        var framer = JSONObjectFramer()
        var frameCount = 0
        var chunks = body.makeAsyncIterator()
        do {
            while true {
                await waitForConsumers()
                // Stopped while waiting: read no more.
                guard !Task.isCancelled, let chunk = try await chunks.next() else { break }
                var actions: [ReflectorStateMachine.Action] = []
                let projection = cache.projection(forWatch: query.namespace)
                do {
                    for frame in try framer.append(chunk.readableBytesView) {
                        frameCount += 1
                        actions += actionsFor(frame, keeping: projection, on: &machine)
                        // The machine has left the watch: the rest of the stream is not read.
                        if actions.contains(where: \.beginsStep) { break }
                    }
                } catch {
                    logger.warning("bad watch stream", metadata: ["query": "\(query)", "error": "\(error.message)"])
                    actions += machine.watchEventMalformed(error.message)
                }
                if let next = await performUntilNextStep(actions.mergingDeliveries, on: &machine) { return next }
            }
        } catch {
            // A reset or the idle timeout: the same as the server closing the watch.
            logger.debug("watch ended", metadata: ["query": "\(query)", "reason": "\(error)"])
        }
        return machine.watchEnded(eventCount: frameCount, after: now() - started)
    }

    /// Before reading more of a watch: waits while consumers are too far behind. Nothing is read
    /// meanwhile, so TCP flow control holds the server back.
    private func waitForConsumers() async {
        guard let ledger, !ledger.hasRoom else { return }
        logger.debug("watch paused: consumers are behind", metadata: [
            "query": "\(query)", "outstanding": .stringConvertible(ledger.outstanding), "bound": .stringConvertible(ledger.bound ?? 0),
        ])
        await ledger.waitForRoom()
        logger.debug("watch resumed", metadata: ["query": "\(query)"])
    }

    /// What the machine makes of one frame: an event (its pod narrowed to `projection`)
    /// applied to the cache, or a bad frame.
    private func actionsFor(
        _ frame: JSONFrame, keeping projection: JSONProjection, on machine: inout ReflectorStateMachine
    ) -> [ReflectorStateMachine.Action] {
        do {
            let event = try WatchEvent.parse(frame, projection: projection)
            return cache.update { machine.watchEventReceived(event, cache: &$0) }
        } catch {
            logger.warning("bad watch event", metadata: ["query": "\(query)", "error": "\(error)"])
            return machine.watchEventMalformed("\(error)")
        }
    }

    /// Carries out `actions` up to the first that begins the next step; returns that one and
    /// the rest, or nil when the watch goes on.
    private func performUntilNextStep(
        _ actions: [ReflectorStateMachine.Action], on machine: inout ReflectorStateMachine
    ) async -> [ReflectorStateMachine.Action]? {
        for (index, action) in actions.enumerated() {
            if action.beginsStep { return Array(actions[index...]) }
            // Only list, watch and wait lead to further actions.
            _ = await perform(action, on: &machine)
        }
        return nil
    }
}

extension Array where Element == ReflectorStateMachine.Action {
    /// The same actions with each run of consecutive deliveries merged into one.
    var mergingDeliveries: [ReflectorStateMachine.Action] {
        var merged: [ReflectorStateMachine.Action] = []
        for action in self {
            if case .deliver(let events) = action, case .deliver(let earlier)? = merged.last {
                merged[merged.count - 1] = .deliver(earlier + events)
            } else {
                merged.append(action)
            }
        }
        return merged
    }
}
