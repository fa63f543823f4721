import AsyncHTTPClient

extension PodReflector {
    /// Reads one watch to its end, delivering events as they arrive; returns what to do next.
    func watch(_ request: ReflectorStateMachine.WatchRequest, on machine: inout ReflectorStateMachine) async -> [ReflectorStateMachine.Action] {
        let started = ContinuousClock.now
        let body: HTTPClientResponse.Body
        do {
            body = try await client.watchPods(query, request)
        } catch {
            logger.warning("pod watch failed", metadata: ["query": "\(query)", "error": "\(error)"])
            return machine.watchFailed(error)
        }
        var framer = JSONObjectFramer()
        var frameCount = 0
        do {
            for try await chunk in body {
                for frame in try framer.append(chunk.readableBytesView) {
                    frameCount += 1
                    let actions: [ReflectorStateMachine.Action]
                    do {
                        actions = machine.watchEventReceived(try WatchEvent.parse(frame))
                    } catch {
                        logger.warning("bad watch event", metadata: ["query": "\(query)", "error": "\(error)"])
                        actions = machine.watchEventMalformed("\(error)")
                    }
                    if let next = handOn(actions) { return next }
                }
            }
        } catch let error as FramingError {
            logger.warning("bad watch stream", metadata: ["query": "\(query)", "error": "\(error)"])
            return handOn(machine.watchEventMalformed(error.message)) ?? []
        } catch {
            // A reset or the idle timeout: the same as the server closing the watch.
            logger.debug("watch ended", metadata: ["query": "\(query)", "reason": "\(error)"])
        }
        return machine.watchEnded(eventCount: frameCount, after: ContinuousClock.now - started)
    }

    /// Delivers events at once; when the actions end the watch, returns those that follow.
    private func handOn(_ actions: [ReflectorStateMachine.Action]) -> [ReflectorStateMachine.Action]? {
        var stop = false
        var next: [ReflectorStateMachine.Action] = []
        for action in actions {
            switch action {
            case .deliver(let events): deliver(.events(events))
            case .stopWatch: stop = true
            default: next.append(action)
            }
        }
        return stop ? next : nil
    }
}
