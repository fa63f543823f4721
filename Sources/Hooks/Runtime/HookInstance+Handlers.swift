import Kube
import Lua

extension HookInstance {
    /// Runs the handlers for one event; returns true when one failed (reported already).
    /// `willWait` runs when a handler is about to wait on a helper.
    func handle(_ event: PodEvent, willWait: (() -> Void)?) async -> Bool {
        guard let script else { return false }
        let context = HookCallContext(hook: file.name, event: event.kind, pod: event.pod.key, resourceVersion: event.pod.resourceVersion)
        let hook = file.name, dryRun = environment.dryRun
        var failed = false
        switch event.kind {
        case .add:
            failed = await call(script, willWait, "on_add", event, context) { (state) throws(LuaError) -> Int32 in
                try Self.push(event.pod, onto: state)
                Self.pushContext(event, hook: hook, dryRun: dryRun, onto: state)
                return 2
            }
        case .update:
            failed = await call(script, willWait, "on_update", event, context) { (state) throws(LuaError) -> Int32 in
                try Self.push(event.old ?? event.pod, onto: state)
                try Self.push(event.pod, onto: state)
                Self.pushContext(event, hook: hook, dryRun: dryRun, onto: state)
                return 3
            }
        case .delete:
            failed = await call(script, willWait, "on_delete", event, context) { (state) throws(LuaError) -> Int32 in
                try Self.push(event.pod, onto: state)
                Self.pushContext(event, hook: hook, dryRun: dryRun, onto: state)
                return 2
            }
        }
        let from = event.kind == .add ? nil : event.old?.phase
        if event.kind != .delete, let to = event.pod.phase, from != to {
            let phaseFailed = await call(script, willWait, "on_phase", event, context) { (state) throws(LuaError) -> Int32 in
                try Self.push(event.pod, onto: state)
                state.push(from.map { .string($0) } ?? .nil)
                state.push(.string(to))
                Self.pushContext(event, hook: hook, dryRun: dryRun, onto: state)
                return 4
            }
            failed = failed || phaseFailed
        }
        return failed
    }

    /// Calls one handler if the script defines it; reports a failure and returns true.
    private func call(
        _ script: LuaScript, _ willWait: (() -> Void)?, _ handler: String, _ event: PodEvent, _ context: HookCallContext,
        push: (LuaState) throws(LuaError) -> Int32
    ) async -> Bool {
        // The clock is read only when durations are kept.
        let start = environment.metrics == nil ? nil : ContinuousClock.now
        do {
            if try await script.call(handler, context: context, willWait: willWait, pushArguments: push) != nil {
                measure(handler, .ok, since: start)
            }
            return false
        } catch {
            measure(handler, HandlerResult(error.kind), since: start)
            let error = error.explained(chunk: file.path, limits: environment.sandbox.limits)
            environment.failures(HookFailure(hook: file.name, handler: handler, pod: event.pod.key, event: event.kind, error: error))
            return true
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

    /// Pushes the pod for the script, decoded as far as the script reads it.
    private static func push(_ pod: PodRecord, onto state: LuaState) throws(LuaError) {
        do {
            try state.pushLazyJSON(pod.json, index: pod.index)
        } catch {
            throw LuaError(kind: .runtime, message: "pod \(pod.key): \(error.message)")
        }
    }

    /// Pushes the `ctx` argument every handler receives. `resource_version` is always the pod's
    /// own `metadata.resourceVersion` (for a delete, the last state's), never a list's.
    private static func pushContext(_ event: PodEvent, hook: String, dryRun: Bool, onto state: LuaState) {
        state.newTable(fieldCapacity: 8)
        state.setField("event", event.kind.rawValue)
        state.setField("namespace", event.pod.key.namespace)
        state.setField("name", event.pod.key.name)
        state.setField("hook", hook)
        state.setField("initial", event.initial)
        state.setField("tombstone", event.tombstone)
        state.setField("resource_version", event.pod.resourceVersion)
        state.setField("dry_run", dryRun)
    }
}
