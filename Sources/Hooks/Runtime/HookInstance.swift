import Foundation
import JSONBytes
import Kube
import Lua
import Synchronization

/// One loaded version of one hook script, on a serial executor of its own run by the Lua threads
/// (hooks share a small pool of them, see `LuaThreadPool`), and the one interpreter of its
/// `HookQueue`: every input to the queue goes through `mutate`, every action it returns through
/// `perform`. Handing events over never waits for the hook's executor.
public actor HookInstance {
    public nonisolated let file: HookFile
    nonisolated let executor: LuaThreadExecutor
    let environment: HookEnvironment
    /// This hook's part of the backlog ledger (shared by its versions).
    nonisolated let account: BacklogLedger.Account
    /// The informer's cache: timers and resyncs hand the hook the pod's latest state from it.
    nonisolated let cache: PodCache
    /// What the hook remembers across versions and restarts (shared by its versions).
    nonisolated let store: HookStateStore
    /// Whether the script has handlers that phase memory serves (`on_phase`, `on_delete`).
    private var remembersPods = false
    var script: LuaScript?
    /// What the script declared (`hook = {...}`); defaults until it has loaded.
    public nonisolated var settings: HookSettings { state.withLock { $0.settings } }
    /// What the hook is shown of each pod (its `reads` and the pod's identity); nil: all the
    /// cache keeps.
    public nonisolated var view: JSONProjection? { state.withLock { $0.view } }
    /// The bytes the Lua state held after its last call (`kubelua_lua_memory_bytes`), read when scraped.
    public nonisolated let luaMemory = Atomic<Int>(0)
    /// The metric series of each handler this version called.
    var handlerSeries: [String: KubeluaMetrics.HandlerSeries] = [:]

    struct State {
        var queue = HookQueue(gated: true)
        var settings = HookSettings()
        var view: JSONProjection?
        var selection = HookSelection(HookSettings())
        /// The cache event this version's world (its initial adds) reflects: events up to it
        /// are already in that world.
        var firstSequence: UInt64 = 0
        /// Pods (by identity) whose events a takeover replays: their removal comes as a replayed delete, so
        /// none gets a tombstone from the state either.
        var replayedPods: Set<String> = []
        /// The instant of the tick armed at start for ticks missed while no process ran the hook.
        var missedTick: UInt64?
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// Inputs that left the queue idle whose `beforeIdle` has not run yet: not idle until it has.
        var settling = 0
        /// Which slice of the pods the next resync hands over (see `resync`).
        var resyncSlice = 0
    }

    /// A resync hands the pods over in this many slices, one every `resync / slices`.
    static let resyncSlices: UInt64 = 60

    private nonisolated let state = Mutex(State())

    /// How long a worker runs calls before letting the other hooks have its thread.
    private static let turn = Duration.milliseconds(10)
    /// How many calls a worker takes from the queue at once.
    private static let callsPerTake = 16

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(
        file: HookFile, environment: HookEnvironment, cache: PodCache = PodCache(), account: BacklogLedger.Account? = nil,
        store: HookStateStore? = nil
    ) {
        self.file = file
        self.environment = environment
        self.cache = cache
        self.store = store ?? HookStateStore(hook: file.name, backend: MemoryStateBackend())
        self.account = account ?? environment.ledger.account(file.name)
        executor = environment.threads.executor(for: file.name)
    }

    /// Compiles `source`, runs its top level on this hook's executor and reads its settings; the
    /// hook's own limits apply from its first handler call.
    public func load(source: [UInt8], libraries root: String?) throws(LuaError) {
        let hook = file.name, sink = environment.log
        var loader: LuaLibraryLoader?
        if let root {
            let libraries = HookLibraries(root: root)
            loader = { name in try libraries.load(name) }
        }
        let print: LuaPrintHandler = { line, context in
            sink(HookLogRecord(level: .info, message: line, fields: [], context: context as? HookCallContext, hook: hook))
        }
        // os.time() and os.date() read the hook clock (replay's is virtual).
        var sandbox = environment.sandbox
        let clock = environment.clock
        sandbox.wallClock = { clock.wallSeconds }
        let modules: [LuaModule] = [
            .log(hook: hook, sink: sink), .metrics(environment.hookMetrics, hook: hook, shard: environment.shard?.index, sink: sink),
            .retry, .timer(for: self), .state(store),
        ]
        let script = try LuaScript(
            source: source, chunkName: file.path, sandbox: sandbox, print: print, modules: modules + environment.modules(file),
            libraries: loader)
        let settings = try HookSettings.read(script.global(HookSettings.globalName), source: source, path: file.path)
        script.apply(settings.limits(over: environment.sandbox.limits))
        self.script = script
        remembersPods = script.defines("on_phase") || script.defines("on_delete")
        state.withLock { state in
            state.settings = settings
            state.view = settings.view(strippingManagedFields: cache.stripsManagedFields)
            state.queue = HookQueue(settings: settings.queue, gated: true)
            state.selection = HookSelection(settings)
        }
        luaMemory.store(script.state.memoryUsed, ordering: .relaxed)
    }

    /// Starts the version: `on_start(ctx)` first (`ctx.reload`: an earlier version ran in this
    /// process), then what was handed over meanwhile (its initial adds), its schedule and resync.
    func start(reload: Bool) async {
        guard environment.mayStartCalls else { return fence() }
        let tombstones = await loadState()
        if let script, script.defines("on_start") {
            let context = HookCallContext(hook: file.name, event: "start", pod: nil, resourceVersion: "", control: nil, view: view)
            let hook = file.name
            if let error = await call(script, "on_start", {}, context, push: { state in
                state.newTable(fieldCapacity: 3)
                state.setField("event", "start")
                state.setField("hook", hook)
                state.setField("reload", reload)
                return 1
            }) {
                environment.failures(HookFailure(hook: file.name, handler: "on_start", error: error.explained(chunk: file.path, limits: script.sandbox.limits)))
            }
        }
        if !tombstones.isEmpty {
            let now = environment.clock.now
            let batch = account.reserve(tombstones.count, at: now)
            perform(mutate { $0.handOver(tombstones, batch: batch, now: now) })
        }
        let now = environment.clock.now
        var actions = mutate { $0.open() }
        if let schedule = settings.schedule, environment.isFirstShard {
            if !reload, missedATick(of: schedule) {
                state.withLock { $0.missedTick = now }
                actions += mutate { $0.armSchedule(at: now) }
            } else if let tick = nextTick(of: schedule, after: now) {
                actions += mutate { $0.armSchedule(at: tick) }
            }
        }
        if let resync = settings.resync {
            actions += mutate { $0.armResync(at: now + resync.nanoseconds / Self.resyncSlices) }
        }
        perform(actions)
    }

    /// Loads the hook's state before its first call; on the first start in this process, the
    /// pods it remembers that are gone from its scope come back as tombstone deletes (deleted
    /// while nobody watched), with what is remembered of them.
    private func loadState() async -> [PodEvent] {
        do {
            guard try await store.load() else { return [] }
        } catch {
            environment.failures(HookFailure(hook: file.name, handler: "state", error: LuaError(
                kind: .runtime, message: "cannot read the hook's state, starting without it: \(error)")))
            return []
        }
        // Each remembered pod looked up by name: costs what the hook remembers (nothing, for a
        // hook without on_phase or on_delete), not a sorted copy of the whole cache. A pod a
        // takeover replays is not gone: its replayed events carry it.
        let replayed = state.withLock { $0.replayedPods }
        let gone = store.missing(in: file.scope) { identity, pod in
            replayed.contains(identity) || cache.pod(PodKey(namespace: pod.namespace, name: pod.name))?.identity == identity
        }
        return gone.map { identity, remembered in .delete(remembered.record(identity: identity), tombstone: true, at: "") }
    }

    /// After an event is finished (for a hook that remembers pods): the phase it brought is
    /// remembered (a delete forgets the pod).
    private nonisolated func remember(_ call: HookQueue.Call) {
        guard case .event(_, let event) = call, event.origin != .timer else { return }
        store.remember(event.pod, phase: event.kind == .delete ? nil : event.pod.phase)
    }

    /// Writes changed state after calls rather than during them.
    private nonisolated func flushState() {
        guard store.backend.persists, store.isDirty else { return }
        let failures = environment.failures, hook = file.name
        store.flushInBackground { error in
            failures(HookFailure(hook: hook, handler: "state", error: LuaError(
                kind: .runtime, message: "cannot write the hook's state (retried after the next call): \(error)")))
        }
    }

    /// Whether a tick came due after the last one that ran (as the state remembers it) while no
    /// process ran this hook (a restart, a takeover): then one runs at once, however many came.
    private nonisolated func missedATick(of schedule: CronSchedule) -> Bool {
        guard let last = store.lastTick, let due = schedule.next(after: Date(timeIntervalSince1970: last), in: .current) else { return false }
        return due.timeIntervalSince1970 <= environment.clock.wallSeconds
    }

    /// Notes a schedule call about to run: when its tick was due is remembered, and whether it
    /// stands for ticks missed while nothing ran the hook (`ctx.missed`).
    nonisolated func scheduleRuns(tick: UInt64, dueAt wall: Double) -> Bool {
        store.lastTick = wall
        return state.withLock { $0.missedTick == tick }
    }

    /// The monotonic instant of the schedule's first tick after `instant`, by the wall clock.
    private nonisolated func nextTick(of schedule: CronSchedule, after instant: UInt64) -> UInt64? {
        let clock = environment.clock
        let now = clock.now
        let wall = clock.wallSeconds - (Double(now) - Double(instant)) / 1e9
        guard let next = schedule.next(after: Date(timeIntervalSince1970: wall), in: .current) else { return nil }
        return instant + UInt64(max(0, (next.timeIntervalSince1970 - wall) * 1e9))
    }

    // MARK: Inputs

    /// Starts this version after the cache event `sequence`: it got the world as of then.
    nonisolated func startsAfter(_ sequence: UInt64) {
        state.withLock { $0.firstSequence = sequence }
    }

    /// Takes no event from the informer until it is handed its world (`startsAfter`).
    nonisolated func awaitWorld() {
        startsAfter(.max)
    }

    /// Whether it has not been handed its world yet (`awaitWorld`).
    nonisolated var awaitsWorld: Bool { state.withLock { $0.firstSequence == .max } }

    /// Hands events over without waiting for the hook's executor: those in its scope, newer than
    /// its world and selected by its settings are reserved in the ledger and queued. Returns
    /// the ledger batch they were reserved in (nil: it took none).
    @discardableResult
    public nonisolated func handOver(_ events: [PodEvent]) -> Int? {
        let (first, selection) = state.withLock { ($0.firstSequence, $0.selection) }
        let scope = file.scope
        let takes = { (event: PodEvent) in scope.contains(namespace: event.pod.key.namespace) && (event.sequence == 0 || event.sequence > first) }
        var taken: [PodEvent], reasons: [HookEventReason?] = []
        if selection.selectsEverything, events.allSatisfy(takes) {
            // The common case: the whole batch as it came, not copied event by event.
            taken = events
        } else {
            taken = []
            for event in events where takes(event) {
                guard let (selected, reason) = selection.select(event) else { continue }
                taken.append(selected)
                reasons.append(reason)
            }
        }
        guard !taken.isEmpty else { return nil }
        let now = environment.clock.now
        let batch = account.reserve(taken.count, at: now)
        performHandOver(mutate { [taken, reasons] in $0.handOver(taken, reasons: reasons, batch: batch, now: now) })
        return batch
    }

    /// The initial adds of a new version: every pod of its world (one record per pod) in its
    /// scope that it selects, reserved in the ledger at once and drawn by the queue as its
    /// worker goes (`HookQueue.handOverWorld`). Returns the ledger batch (nil: none selected).
    @discardableResult
    nonisolated func handOverWorld(_ pods: [PodRecord]) -> Int? {
        let selection = state.withLock { $0.selection }
        let scope = file.scope
        let kept = { (pod: PodRecord) in scope.contains(namespace: pod.key.namespace) && selection.matches(pod) }
        // Usually all of them: the array is then kept as it came, shared with the other hooks.
        let world = pods.allSatisfy(kept) ? pods : pods.filter(kept)
        guard !world.isEmpty else { return nil }
        let batch = account.reserve(world.count, at: environment.clock.now)
        performHandOver(mutate { $0.handOverWorld(world, batch: batch) })
        return batch
    }

    /// Carries out what handing over returned; its releases are events merged into one already
    /// queued.
    private nonisolated func performHandOver(_ actions: [HookQueue.Action]) {
        let merged = actions.count { if case .release = $0 { true } else { false } }
        if merged > 0 { environment.statistics.merged(merged) }
        perform(actions)
    }

    /// A takeover's replay: what this replica saw as a standby after the old leader's
    /// checkpoint (`ctx.replayed`). Returns the batch, as `handOver`.
    nonisolated func handOverReplay(_ events: [PodEvent]) -> Int? {
        let replayed = Set(events.lazy.filter { self.file.scope.contains(namespace: $0.pod.key.namespace) }.map(\.pod.identity))
        state.withLock { $0.replayedPods = replayed }
        return handOver(events)
    }

    /// The clock passed a wake-up time: due retries and closed debounce windows become runnable.
    nonisolated func wakeUp(for instant: UInt64) {
        let now = environment.clock.now
        perform(mutate { $0.clockReached(instant, now: now) })
    }

    /// This replica stopped leading: no call starts here again; what is held is released, calls
    /// running finish (`HookQueue.fence`).
    nonisolated func fence() {
        perform(mutate { $0.fence() })
    }

    /// The worker's next calls, unless this replica no longer leads: then the queue is fenced
    /// (by the first worker to notice, before the daemon hears of it) and nothing starts.
    private nonisolated func nextCalls(_ queue: inout HookQueue) -> ([HookQueue.Call], [HookQueue.Action]) {
        let actions = environment.mayStartCalls ? [] : queue.fence()
        return (queue.next(upTo: Self.callsPerTake), actions)
    }

    /// Closes every debounce window (shutdown, or a newer version taking over).
    public nonisolated func closeWindows() {
        perform(mutate { $0.closeWindows() })
    }

    /// Hands the pods waiting for a retry to `successor`, which runs them before anything else
    /// of theirs; what else this version holds it finishes itself.
    nonisolated func retire(handingOverTo successor: HookInstance) {
        let (handed, actions) = mutate { $0.retire() }
        perform(actions)
        successor.perform(successor.mutate { $0.adopt(handed) })
    }

    /// Sets `pod`'s timer to call `on_timer` after `delay` (replacing any); nil, or why not.
    nonisolated func setTimer(namespace: String, name: String, after delay: Duration) -> String? {
        guard file.scope.contains(namespace: namespace) else { return "pod \(namespace)/\(name) is outside this hook's \(file.scope)" }
        guard let pod = cache.pod(PodKey(namespace: namespace, name: name)) else { return "pod \(namespace)/\(name) is not in the cache" }
        if let shard = environment.shard, !shard.contains(pod.key) {
            return "pod \(namespace)/\(name) is in another shard than the event's (\(shard)): its timers are set by that shard's holder"
        }
        let at = environment.clock.now + delay.nanoseconds, limit = environment.timerLimit
        let actions = mutate { queue -> [HookQueue.Action]? in
            guard queue.timerCount < limit || queue.hasTimer(pod.key) else { return nil }
            return queue.setTimer(pod, at: at)
        }
        guard let actions else {
            return "this hook has \(limit) timers pending, the most a hook may have (cancel some with timer.cancel, or use a schedule)"
        }
        perform(actions)
        return nil
    }

    nonisolated func cancelTimer(namespace: String, name: String) {
        mutate { $0.cancelTimer(PodKey(namespace: namespace, name: name)) }
    }

    /// The earliest wake-up this hook asked for: `eventsOnly`, only those of its events (a retry,
    /// a debounce window), not timers, schedules or resyncs.
    public nonisolated func nextWake(eventsOnly: Bool) -> UInt64? {
        state.withLock { eventsOnly ? $0.queue.nextEventWake : $0.queue.nextWake }
    }

    /// Returns once nothing is runnable or running (events may still wait for their time).
    public nonisolated func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                if state.queue.isIdle && state.settling == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    // MARK: The interpreter

    /// Applies one input to the queue; wakes the idle waiters when it leaves the queue idle.
    /// `beforeIdle` runs after the input, outside the lock, before idle waiters are woken: what
    /// must be done by the time the hook counts as idle (statistics, the ledger). A waiter that
    /// comes while it runs waits for it too (`settling`), so a checkpoint taken once the hook is
    /// idle counts what it handled.
    private nonisolated func mutate<T>(_ input: (inout HookQueue) -> T, beforeIdle: (T) -> Void = { _ in }) -> T {
        let (result, idle) = state.withLock { state -> (T, Bool) in
            let result = input(&state.queue)
            guard state.queue.isIdle else { return (result, false) }
            state.settling += 1
            return (result, true)
        }
        beforeIdle(result)
        guard idle else { return result }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.settling -= 1
            guard state.queue.isIdle, state.settling == 0 else { return [] }
            defer { state.idleWaiters.removeAll() }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
        return result
    }

    /// Carries out the queue's actions (`keepWorking` is `run`'s to act on).
    private nonisolated func perform(_ actions: [HookQueue.Action]) {
        // Consecutive releases of one batch are released together.
        var releasing: (batch: Int, count: Int)?
        defer { if let releasing { account.release(batch: releasing.batch, count: releasing.count) } }
        for action in actions {
            if case .release(let batch) = action {
                if let pending = releasing, pending.batch != batch { account.release(batch: pending.batch, count: pending.count) }
                releasing = (batch, releasing?.batch == batch ? releasing!.count + 1 : 1)
                continue
            }
            switch action {
            case .startWorker:
                Task { await self.work() }
            case .keepWorking:
                break
            case .wake(let instant):
                let clock = environment.clock
                Task {
                    try? await clock.sleep(until: instant)
                    self.wakeUp(for: instant)
                }
            case .release:
                break
            case .giveUp(_, let event):
                environment.metrics?.gaveUp(hook: file.name, handler: Self.handler(for: event, step: event.step))
            case .retryScheduled:
                break
            case .scheduleFired(let tick):
                if let schedule = settings.schedule, let next = nextTick(of: schedule, after: tick) {
                    perform(mutate { $0.armSchedule(at: next) })
                }
            case .scheduleSkipped:
                environment.metrics?.scheduleSkipped(hook: file.name)
            case .resyncDue(let at):
                resync(at: at)
            }
        }
    }

    /// Hands over the next slice of the pods again (`on_update(pod, pod)` with `ctx.resync`), and
    /// asks for the next slice: over one `resync` interval every pod is handed over once,
    /// spread in `resyncSlices` slices by a hash of its UID, so a large namespace is no burst.
    private nonisolated func resync(at instant: UInt64) {
        guard let interval = settings.resync?.nanoseconds else { return }
        let slice = state.withLock { state -> UInt64 in
            defer { state.resyncSlice = (state.resyncSlice + 1) % Int(Self.resyncSlices) }
            return UInt64(state.resyncSlice)
        }
        let selection = state.withLock { $0.selection }
        let pods = cache.pods(namespace: file.scope.namespace).filter {
            StableHash.fnv1a($0.identity) % Self.resyncSlices == slice && environment.owns($0.key) && selection.matches($0)
        }
        if !pods.isEmpty {
            let now = environment.clock.now
            let batch = account.reserve(pods.count, at: now)
            perform(mutate { $0.handOver(pods.map { .update($0, $0, at: $0.resourceVersion) }, batch: batch, now: now, origin: .resync) })
        }
        perform(mutate { $0.armResync(at: instant + interval / Self.resyncSlices) })
    }

    /// Takes calls until there is none, or until this task's call waited on a helper and
    /// another worker went on meanwhile.
    private func work() async {
        var (calls, fencing) = mutate { nextCalls(&$0) }
        perform(fencing)
        while !calls.isEmpty {
            calls = await run(calls)
            if !calls.isEmpty, let busy = executor.busy(at: DispatchTime.now().uptimeNanoseconds), busy > Self.turn { await Task.yield() }
        }
    }

    /// A call this task ran, how it ended, and what to report.
    private struct FinishedCall: Sendable {
        let call: HookQueue.Call
        let outcome: HookQueue.Outcome
        let failure: HookFailure?
    }

    /// The calls of one take that ran and are not reported yet, and whether one waited on a
    /// helper (the wait handler reads them on the hook's executor).
    private final class TakeProgress: Sendable {
        let state = Mutex<(done: [FinishedCall], waited: Bool)>(([], false))
    }

    /// Runs calls in turn and reports how they ended, together; returns the next calls when this
    /// task goes on working, taken under the same lock as the report (what a report settles is
    /// settled before the hook can count as idle). A call about to wait on a helper reports
    /// those before it and hands back those after it.
    private func run(_ calls: [HookQueue.Call]) async -> [HookQueue.Call] {
        let progress = TakeProgress()
        let remembers = remembersPods
        var untaken: ArraySlice<HookQueue.Call> = []
        for (position, call) in calls.enumerated() {
            // A replica that stopped leading starts none of the calls it took.
            if position > 0, !environment.mayStartCalls {
                untaken = calls[position...]
                break
            }
            let (outcome, failure) = await handle(call) {
                // The queue takes only the first wait of a call as leaving the worker role.
                guard let reported = progress.state.withLock({ state -> [FinishedCall]? in
                    guard !state.waited else { return nil }
                    state.waited = true
                    defer { state.done.removeAll() }
                    return state.done
                }) else { return }
                let now = self.environment.clock.now
                self.perform(self.mutate({ queue in
                    queue.suspended(call.subject, finished: reported.map { ($0.call.subject, $0.outcome) }, untaken: calls[(position + 1)...], now: now)
                }, beforeIdle: { actions in self.settle(reported, actions, remembering: remembers) }))
            }
            let waited = progress.state.withLock { state in
                state.done.append(FinishedCall(call: call, outcome: outcome, failure: failure))
                return state.waited
            }
            if waited { break }
        }
        let done = progress.state.withLock { $0.done }
        let now = environment.clock.now, reports = done.map { ($0.call.subject, $0.outcome) }
        let (_, _, next) = mutate { [untaken] queue -> ([HookQueue.Action], [HookQueue.Action], [HookQueue.Call]) in
            let actions = queue.finished(reports, untaken: untaken, now: now)
            guard actions.contains(.keepWorking) else { return (actions, [], []) }
            let (next, fencing) = nextCalls(&queue)
            return (actions, fencing, next)
        } beforeIdle: { actions, fencing, _ in
            self.settle(done, actions, remembering: remembers)
            self.perform(fencing)
        }
        return next
    }

    /// What finished calls leave to do before the hook can count as idle: the statistics, each
    /// failure reported (with what becomes of its event), the phases remembered, the actions
    /// carried out (the ledger released).
    private nonisolated func settle(_ calls: [FinishedCall], _ actions: [HookQueue.Action], remembering: Bool) {
        var succeeded = 0, failed = 0
        for finished in calls {
            guard finished.outcome != .succeeded else {
                succeeded += 1
                if remembering { remember(finished.call) }
                continue
            }
            guard case .event(let pod, _) = finished.call else {
                if let failure = finished.failure { environment.failures(failure) }
                continue
            }
            // What the queue made of the pod's failed call: a retry, given up, or finished.
            var retry: (attempt: Int, at: UInt64)?, givenUp: QueuedEvent?
            for action in actions {
                switch action {
                case .retryScheduled(pod, let attempt, let at): retry = (attempt, at)
                case .giveUp(pod, let event): givenUp = event
                default: break
                }
            }
            if retry == nil {
                failed += 1
                if remembering { remember(finished.call) }
            }
            // Asked to be retried as often as allowed: said once, when given up.
            var report = finished.failure
            if report == nil, let event = givenUp {
                report = HookFailure(
                    hook: file.name, handler: Self.handler(for: event, step: event.step), pod: pod, event: event.name,
                    error: LuaError(kind: .runtime, message: "the handler asked to be retried (retry())"))
            }
            guard var failure = report else { continue }
            if let retry {
                let now = environment.clock.now
                failure.disposition = .retrying(attempt: retry.attempt, in: .nanoseconds(Int64(retry.at > now ? retry.at - now : 0)))
            } else if let event = givenUp {
                failure.disposition = .givenUp(attempts: event.attempt)
            }
            environment.failures(failure)
        }
        environment.statistics.handled(succeeded: succeeded, failed: failed)
        flushState()
        perform(actions)
    }
}
