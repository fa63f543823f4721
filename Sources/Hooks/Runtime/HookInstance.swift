import Kube
import Lua

/// One loaded version of one hook script, on a Lua thread of its own. Events of one pod reach
/// it in order, one at a time; while a handler waits on a helper (HTTP), other pods' events run.
public actor HookInstance {
    public nonisolated let file: HookFile
    nonisolated let executor: LuaThreadExecutor
    let environment: HookEnvironment
    var script: LuaScript?
    /// Events waiting per pod, and the pods whose queue is being worked through.
    var pending: [PodKey: [PodEvent]] = [:]
    var idleWaiters: [CheckedContinuation<Void, Never>] = []

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(file: HookFile, environment: HookEnvironment, executor: LuaThreadExecutor = LuaThreadPool.shared.assign()) {
        self.file = file
        self.environment = environment
        self.executor = executor
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
            modules: [.log(hook: hook, sink: sink)] + environment.modules(file), libraries: loader)
    }

    /// Queues events; each pod's are handled in order.
    public func enqueue(_ events: [PodEvent]) {
        environment.statistics.queued(events.count)
        for event in events {
            let key = event.pod.key
            let idle = pending[key] == nil
            pending[key, default: []].append(event)
            if idle { Task { await drain(key) } }
        }
    }

    /// Returns once every queued event has been handled.
    public func waitUntilIdle() async {
        if pending.isEmpty { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func drain(_ key: PodKey) async {
        while let event = pending[key]?.first {
            environment.statistics.started()
            let failed = await handle(event)
            environment.statistics.handled(failed: failed)
            pending[key]!.removeFirst()
            if pending[key]!.isEmpty { pending[key] = nil }
        }
        if pending.isEmpty {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }
}
