import Foundation
import Kube
import Lua
import Synchronization

/// One loaded version of one hook script, on one of the Lua threads (hooks share a small pool of
/// them, see `LuaThreadPool`). One worker runs its events in the order they came, each pod's in
/// order; while a handler waits on a helper (HTTP), that pod's later events wait and the others
/// run. Handing events over never waits for it.
public actor HookInstance {
    public nonisolated let file: HookFile
    nonisolated let executor: LuaThreadExecutor
    let environment: HookEnvironment
    var script: LuaScript?
    /// Events handed over and not yet taken in by the worker.
    nonisolated let inbox = HookInbox()
    /// The cache event this version's world (its initial adds) reflects: events up to it are
    /// already in that world.
    private nonisolated let firstSequence = Mutex<UInt64>(0)
    /// What the worker took in and has not run yet, last first (batches and their events
    /// reversed): each event is popped as it runs, so it does not outlive its handling.
    private var taken: [HookInbox.Batch] = []
    /// Pods whose handler waits on a helper, with their events that came meanwhile, to run in
    /// order once it is done.
    private var parked: [PodKey: [Queued]] = [:]
    /// Which worker goes on with the inbox: bumped when one hands over (its handler waits).
    private var worker = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Handler calls queued or running (`kubelua_backlog_calls`), and the bytes the Lua state
    /// held after its last call (`kubelua_lua_memory_bytes`): read when scraped.
    public nonisolated let backlog = Atomic<Int>(0)
    public nonisolated let luaMemory = Atomic<Int>(0)
    /// The metric series of each handler this version called.
    var handlerSeries: [String: KubeluaMetrics.HandlerSeries] = [:]

    /// An event and the batch it came in.
    private struct Queued {
        let event: PodEvent
        let batch: Int
    }

    /// How long a worker runs events before letting the other hooks on its thread have a turn.
    private static let turn = Duration.milliseconds(10)

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(file: HookFile, environment: HookEnvironment, executor: LuaThreadExecutor? = nil) {
        self.file = file
        self.environment = environment
        self.executor = executor ?? environment.threads.assign()
    }

    /// Compiles `source` and runs its top level on this hook's thread.
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
        script = try LuaScript(
            source: source, chunkName: file.path, sandbox: environment.sandbox, print: print,
            modules: [.log(hook: hook, sink: sink), .metrics(environment.hookMetrics, hook: hook, sink: sink)] + environment.modules(file),
            libraries: loader)
        luaMemory.store(script?.state.memoryUsed ?? 0, ordering: .relaxed)
    }

    /// Starts this version after the cache event `sequence`: it got the world as of then.
    nonisolated func startsAfter(_ sequence: UInt64) {
        firstSequence.withLock { $0 = sequence }
    }

    /// Whether `event` is for this hook: in its scope, and not already part of its world.
    nonisolated func accepts(_ event: PodEvent) -> Bool {
        accepts(event, after: firstSequence.withLock { $0 })
    }

    /// The events of a batch that are for this hook (its first sequence read once, not per event).
    nonisolated func accepted(_ events: [PodEvent]) -> [PodEvent] {
        let first = firstSequence.withLock { $0 }
        return events.filter { accepts($0, after: first) }
    }

    private nonisolated func accepts(_ event: PodEvent, after first: UInt64) -> Bool {
        file.scope.contains(namespace: event.pod.key.namespace) && (event.sequence == 0 || event.sequence > first)
    }

    /// Queues events without waiting for the hook's thread; each pod's are handled in order.
    public nonisolated func enqueue(_ events: [PodEvent]) {
        guard !events.isEmpty else { return }
        environment.statistics.queued(events.count)
        backlog.add(events.count, ordering: .relaxed)
        environment.backpressure?.reserve(events.count)
        if inbox.put(events, at: DispatchTime.now().uptimeNanoseconds) { Task { await self.work() } }
    }

    /// Runs the events handed over until the inbox is empty. When a handler is about to wait on
    /// a helper, its pod is parked and a new worker goes on with the inbox; this task stays with
    /// the parked pod and runs the events it missed meanwhile.
    private func work() async {
        let me = worker
        while let next = nextEvent() {
            let key = next.event.pod.key
            await run(next) {
                guard me == self.worker else { return }
                self.worker += 1
                self.parked[key] = []
                Task { await self.work() }
            }
            if me != worker { return await runParked(key) }
            if let busy = executor.busy(at: DispatchTime.now().uptimeNanoseconds), busy > Self.turn { await Task.yield() }
        }
    }

    /// The next event to run now; events of a parked pod are put aside for it. Nil when the
    /// inbox is empty (this worker is then done).
    private func nextEvent() -> Queued? {
        while true {
            if taken.isEmpty {
                guard let batches = inbox.take() else { return nil }
                taken = batches.reversed()
                for index in taken.indices { taken[index].events.reverse() }
            }
            guard let event = taken[taken.count - 1].events.popLast() else {
                taken.removeLast()
                continue
            }
            let next = Queued(event: event, batch: taken[taken.count - 1].id)
            guard !parked.isEmpty, parked[event.pod.key] != nil else { return next }
            parked[event.pod.key]!.append(next)
        }
    }

    /// Runs a parked pod's events, in order, then lets the worker run that pod's events again.
    private func runParked(_ key: PodKey) async {
        while let next = parked[key]?.first {
            parked[key]!.removeFirst()
            await run(next, willWait: nil)
        }
        parked[key] = nil
    }

    /// Runs one event's handlers and counts it done.
    private func run(_ queued: Queued, willWait: (() -> Void)?) async {
        environment.statistics.started()
        let failed = await handle(queued.event, willWait: willWait)
        environment.statistics.handled(failed: failed)
        environment.backpressure?.release(1)
        inbox.finished(batch: queued.batch)
        if backlog.subtract(1, ordering: .relaxed).newValue == 0 {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }

    /// Returns once every event queued so far has been handled.
    public func waitUntilIdle() async {
        if backlog.load(ordering: .relaxed) == 0 { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }
}
