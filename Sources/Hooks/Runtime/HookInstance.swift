import Kube
import Lua
import Synchronization

/// One loaded version of one hook script, on one of the Lua threads (hooks share a small pool of
/// them, see `LuaThreadPool`). Events of one pod reach it in order, one at a time; while a handler
/// waits on a helper (HTTP), other pods' events run. Handing events over never waits for it.
public actor HookInstance {
    public nonisolated let file: HookFile
    nonisolated let executor: LuaThreadExecutor
    let environment: HookEnvironment
    var script: LuaScript?
    /// Events handed over and not yet taken in by this hook's thread.
    nonisolated let inbox = HookInbox()
    /// The cache event this version's world (its initial adds) reflects: events up to it are
    /// already in that world.
    private nonisolated let firstSequence = Mutex<UInt64>(0)
    /// Events waiting per pod, and the pods whose queue is being worked through.
    var pending: [PodKey: [PodEvent]] = [:]
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Handler calls queued or running (`kubelua_backlog_calls`), and the bytes the Lua state
    /// held after its last call (`kubelua_lua_memory_bytes`): read when scraped.
    public nonisolated let backlog = Atomic<Int>(0)
    public nonisolated let luaMemory = Atomic<Int>(0)
    /// The metric series of each handler this version called.
    var handlerSeries: [String: KubeluaMetrics.HandlerSeries] = [:]

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
        file.scope.contains(namespace: event.pod.key.namespace) && (event.sequence == 0 || event.sequence > firstSequence.withLock { $0 })
    }

    /// Queues events without waiting for the hook's thread; each pod's are handled in order.
    public nonisolated func enqueue(_ events: [PodEvent]) {
        guard !events.isEmpty else { return }
        environment.statistics.queued(events.count)
        backlog.add(events.count, ordering: .relaxed)
        environment.backpressure?.reserve(events.count)
        if inbox.put(events) { Task { await self.takeInbox() } }
    }

    /// Moves what the inbox holds into the per-pod queues, starting a queue's worker when it was idle.
    private func takeInbox() {
        for event in inbox.take() {
            let key = event.pod.key
            let idle = pending[key] == nil
            pending[key, default: []].append(event)
            if idle { Task { await drain(key) } }
        }
    }

    /// Returns once every event queued so far has been handled.
    public func waitUntilIdle() async {
        takeInbox()
        if pending.isEmpty { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func drain(_ key: PodKey) async {
        while let event = pending[key]?.first {
            environment.statistics.started()
            let failed = await handle(event)
            environment.statistics.handled(failed: failed)
            backlog.subtract(1, ordering: .relaxed)
            environment.backpressure?.release(1)
            pending[key]!.removeFirst()
            if pending[key]!.isEmpty { pending[key] = nil }
        }
        if pending.isEmpty {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }
}
