import Kube
import Lua

/// What every hook of a runtime shares: limits, helpers, and where output and failures go.
public struct HookEnvironment: Sendable {
    public var sandbox: LuaSandbox
    public var log: HookLogSink
    public var failures: @Sendable (HookFailure) -> Void
    public var statistics: HookStatistics
    /// The backlog: each hook reserves the events it takes and releases each once, handled or
    /// given up, so an event for three hooks counts three times. Its bound is `--max-backlog`.
    public var ledger: BacklogLedger
    /// What retries, debounce windows and the backlog's age are timed by.
    public var clock: any HookClock
    /// Where each hook's state (`state.*`, phases remembered) is kept, by hook name.
    public var stateBackend: @Sendable (String) -> any HookStateBackend
    /// Extra helper modules (http, os), built per hook.
    public var modules: @Sendable (HookFile) -> [LuaModule]
    /// The Lua threads that run every hook's executor.
    public var threads: LuaThreadPool
    /// kubelua's own metrics (`run --metrics-address`); nil: none are kept.
    public var metrics: KubeluaMetrics?
    /// Where the hooks' `metrics` module puts what they define.
    public var hookMetrics: HookMetrics
    /// `run --dry-run`: writes are only validated; handlers see it as `ctx.dry_run`.
    public var dryRun: Bool
    /// `run --leader-elect`: no handler call starts, and no state is written, while this
    /// replica does not lead. Nil: it always leads.
    public var leadership: Leadership?
    /// The most timers one hook may have pending (a test of the bound sets a small one).
    public var timerLimit = 10_000
    /// `run --leader-elect --shards N`: the runtime of shard k hands its hooks only the pods of
    /// that shard, keeps their state per shard, and runs schedules only for shard 0. Nil: all pods.
    public var shard: PodShard?

    public init(
        sandbox: LuaSandbox = LuaSandbox(), log: @escaping HookLogSink, failures: @escaping @Sendable (HookFailure) -> Void,
        statistics: HookStatistics = HookStatistics(), ledger: BacklogLedger = BacklogLedger(bound: nil),
        clock: any HookClock = SystemHookClock(), stateBackend: @escaping @Sendable (String) -> any HookStateBackend = { _ in MemoryStateBackend() },
        modules: @escaping @Sendable (HookFile) -> [LuaModule] = { _ in [] }, threads: LuaThreadPool = .shared,
        metrics: KubeluaMetrics? = nil, hookMetrics: HookMetrics = HookMetrics(), dryRun: Bool = false, leadership: Leadership? = nil
    ) {
        self.sandbox = sandbox
        self.log = log
        self.failures = failures
        self.statistics = statistics
        self.ledger = ledger
        self.clock = clock
        self.stateBackend = stateBackend
        self.modules = modules
        self.threads = threads
        self.metrics = metrics
        self.hookMetrics = hookMetrics
        self.dryRun = dryRun
        self.leadership = leadership
    }

    /// Whether a handler call may start now: always, unless this replica is elected and does not lead.
    var mayStartCalls: Bool { leadership?.isLeading ?? true }

    /// Whether the pod is this runtime's to hand to its hooks.
    func owns(_ key: PodKey) -> Bool { shard?.contains(key) ?? true }

    /// Whether this runtime runs schedules and reports hooks that fail to load (the other
    /// shards' runtimes load the same files: one report, not N).
    var isFirstShard: Bool { (shard?.index ?? 0) == 0 }

    /// The name a hook's state is kept under: the hook's, and with shards its shard's too, so a
    /// shard's memory moves with its Lease (and another number of shards starts afresh).
    func stateKey(_ hook: String) -> String {
        shard.map { "\(hook)#shard-\($0.index)-of-\($0.count)" } ?? hook
    }
}
