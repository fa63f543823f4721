import JSONBytes
import Kube
import Lua

extension HookInstance {
    /// The handler a call's `step` runs: the event's own (`on_timer` for a timer), then
    /// `on_phase` per phase change.
    static func handler(for event: QueuedEvent, step: Int) -> String {
        guard step == 0 else { return "on_phase" }
        if event.origin == .timer { return "on_timer" }
        switch event.kind {
        case .add: return "on_add"
        case .update: return "on_update"
        case .delete: return "on_delete"
        }
    }

    /// Runs a call: a schedule tick's `on_schedule`, or an event's handlers from its step on (the
    /// event's own, then `on_phase` for each phase change it spans), stopping at the first that
    /// fails or asks to be retried. `willWait` runs when a handler is about to wait on a helper.
    func handle(_ call: HookQueue.Call, willWait: @escaping () -> Void) async -> (HookQueue.Outcome, HookFailure?) {
        guard let script else { return (.succeeded, nil) }
        guard case .event(let pod, var event) = call else {
            guard case .schedule(let tick) = call else { return (.succeeded, nil) }
            let context = HookCallContext(hook: file.name, event: "schedule", pod: nil, resourceVersion: "", control: nil, view: view)
            let hook = file.name, clock = environment.clock
            let wall = clock.wallSeconds - (Double(clock.now) - Double(tick)) / 1e9
            let missed = scheduleRuns(tick: tick, dueAt: wall)
            if let error = await self.call(script, "on_schedule", willWait, context, push: { state in
                state.newTable(fieldCapacity: 4)
                state.setField("event", "schedule")
                state.setField("hook", hook)
                state.push(.integer(Int64(wall.rounded(.down))))
                state.setField("time")
                if missed { state.setField("missed", true) }
                return 1
            }) {
                let explained = error.explained(chunk: file.path, limits: script.sandbox.limits)
                return (.failed(step: 0), HookFailure(hook: file.name, handler: "on_schedule", event: "schedule", error: explained))
            }
            return (.succeeded, nil)
        }
        if event.origin == .timer {
            // A timer's call sees the pod as it is now; a pod gone since has no call.
            guard let latest = cache.pod(pod) else { return (.succeeded, nil) }
            event.pod = latest
        }
        var transitions = event.transitions
        // A pod the hook was handed before (an earlier version, before a restart, or by the
        // leader a replayed event comes after): on_phase only for a phase that differs from the
        // one it last got, from that one.
        if event.kind == .add || (event.replayed && event.kind == .update), event.mergedTransitions == nil, let remembered = store.phase(of: event.pod.identity), let phase = event.pod.phase {
            transitions = remembered == phase ? [] : [PhaseTransition(from: remembered, to: phase)]
        }
        guard event.step <= transitions.count else { return (.succeeded, nil) }
        let view = view
        for step in event.step...transitions.count {
            // A replica that stopped leading starts no further handler, not even this call's next.
            if step > event.step, !environment.mayStartCalls { return (.succeeded, nil) }
            let control = HookCallControl()
            let context = HookCallContext(
                hook: file.name, event: event.name, pod: pod, resourceVersion: event.pod.resourceVersion, control: control, view: view)
            let handler = Self.handler(for: event, step: step)
            let ctx = CallArguments(event: event, hook: file.name, dryRun: environment.dryRun)
            let result: LuaError?
            if step == 0 {
                result = await self.call(script, handler, willWait, context) { [event] (state) throws(LuaError) -> Int32 in
                    switch (event.kind, event.origin) {
                    case (.update, .informer), (.update, .resync):
                        try Self.push(event.old ?? event.pod, onto: state, view: view)
                        try Self.push(event.pod, onto: state, view: view)
                        ctx.push(onto: state)
                        return 3
                    default:
                        try Self.push(event.pod, onto: state, view: view)
                        ctx.push(onto: state)
                        return 2
                    }
                }
            } else {
                let transition = transitions[step - 1]
                result = await self.call(script, handler, willWait, context) { [event] (state) throws(LuaError) -> Int32 in
                    try Self.push(event.pod, onto: state, view: view)
                    state.push(transition.from.map { .string($0) } ?? .nil)
                    state.push(.string(transition.to))
                    ctx.push(onto: state)
                    return 4
                }
            }
            if let error = result {
                let explained = error.explained(chunk: file.path, limits: script.sandbox.limits)
                return (.failed(step: step), HookFailure(hook: file.name, handler: handler, pod: pod, event: event.name, error: explained))
            }
            if let delay = control.retryRequested {
                return (.retryRequested(step: step, delay: delay.map(\.nanoseconds)), nil)
            }
        }
        return (.succeeded, nil)
    }

    /// Calls one handler if the script defines it; returns its error.
    func call(
        _ script: LuaScript, _ handler: String, _ willWait: @escaping () -> Void, _ context: HookCallContext,
        push: (LuaState) throws(LuaError) -> Int32
    ) async -> LuaError? {
        // The clock is read only when durations are kept.
        let start = environment.metrics == nil ? nil : ContinuousClock.now
        do {
            if try await script.call(handler, context: context, willWait: willWait, pushArguments: push) != nil {
                measure(handler, .ok, since: start)
            }
            return nil
        } catch {
            measure(handler, HandlerResult(error.kind), since: start)
            return error
        }
    }

    /// Counts a handler call and records its duration, when metrics are kept.
    private func measure(_ handler: String, _ result: HandlerResult, since start: ContinuousClock.Instant?) {
        luaMemory.store(script?.state.memoryUsed ?? 0, ordering: .relaxed)
        guard let metrics = environment.metrics, let start else { return }
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        if let series = handlerSeries[handler] {
            series.record(result, seconds: seconds)
        } else {
            let series = metrics.handlerSeries(hook: file.name, handler: handler)
            handlerSeries[handler] = series
            series.record(result, seconds: seconds)
        }
    }

    /// Pushes the pod for the script, decoded as far as the script reads it, showing what
    /// `view` keeps of it.
    private static func push(_ pod: PodRecord, onto state: LuaState, view: JSONProjection?) throws(LuaError) {
        do {
            try state.pushLazyJSON(pod.json, index: pod.index, view: view)
        } catch {
            throw LuaError(kind: .runtime, message: "pod \(pod.key): \(error.message)")
        }
    }

    /// The `ctx` argument every handler receives. `resource_version` is always the pod's own
    /// `metadata.resourceVersion` (for a delete, the last state's), never a list's.
    private struct CallArguments {
        let event: QueuedEvent
        let hook: String
        /// `run --dry-run`: the hook can say what it would do.
        let dryRun: Bool

        func push(onto state: LuaState) {
            state.newTable(fieldCapacity: 12)
            state.setField("event", event.name)
            state.setField("namespace", event.pod.key.namespace)
            state.setField("name", event.pod.key.name)
            state.setField("hook", hook)
            state.setField("initial", event.initial)
            state.setField("tombstone", event.tombstone)
            state.setField("resource_version", event.pod.resourceVersion)
            state.setField("dry_run", dryRun)
            state.push(.integer(Int64(event.attempt)))
            state.setField("attempt")
            if let reason = event.reason { state.setField("reason", reason.rawValue) }
            if event.replayed { state.setField("replayed", true) }
            if event.origin == .resync { state.setField("resync", true) }
        }
    }
}
