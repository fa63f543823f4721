import AsyncHTTPClient

extension PodReflector {
    /// Reads one watch to its end, delivering events as they arrive; returns what to do next.
    func watch(_ request: ReflectorStateMachine.WatchRequest, on machine: inout ReflectorStateMachine) async -> [ReflectorStateMachine.Action] {
        let started = ContinuousClock.now
        let body: HTTPClientResponse.Body
        do {
            body = try await client.watchPods(query, request)
        } catch {
            let next = machine.watchFailed(error)
            reportFailure(of: "watch", error, then: next)
            return next
        }
        var framer = JSONObjectFramer()
        var frameCount = 0
        // The events of one chunk go to consumers together: one hand-over, not one per event.
        var batch: [PodEvent] = []
        defer { flush(&batch) }
        do {
            for try await chunk in body {
                for frame in try framer.append(chunk.readableBytesView) {
                    frameCount += 1
                    let actions: [ReflectorStateMachine.Action]
                    do {
                        let event = try WatchEvent.parse(frame)
                        actions = cache.update { machine.watchEventReceived(event, cache: &$0) }
                    } catch {
                        logger.warning("bad watch event", metadata: ["query": "\(query)", "error": "\(error)"])
                        actions = machine.watchEventMalformed("\(error)")
                    }
                    if let next = handOn(actions, batch: &batch) { return next }
                }
                flush(&batch)
            }
        } catch let error as FramingError {
            logger.warning("bad watch stream", metadata: ["query": "\(query)", "error": "\(error)"])
            return handOn(machine.watchEventMalformed(error.message), batch: &batch) ?? []
        } catch {
            // A reset or the idle timeout: the same as the server closing the watch.
            logger.debug("watch ended", metadata: ["query": "\(query)", "reason": "\(error)"])
        }
        return machine.watchEnded(eventCount: frameCount, after: ContinuousClock.now - started)
    }

    /// Adds events to the chunk's batch; when the actions end the watch, delivers the batch and
    /// returns the actions that follow.
    private func handOn(_ actions: [ReflectorStateMachine.Action], batch: inout [PodEvent]) -> [ReflectorStateMachine.Action]? {
        var stop = false
        var next: [ReflectorStateMachine.Action] = []
        for action in actions {
            switch action {
            case .deliver(let events): batch += events
            case .stopWatch: stop = true
            default: next.append(action)
            }
        }
        if stop { flush(&batch) }
        return stop ? next : nil
    }

    private func flush(_ batch: inout [PodEvent]) {
        guard !batch.isEmpty else { return }
        deliver(.events(batch))
        batch.removeAll(keepingCapacity: true)
    }
}
