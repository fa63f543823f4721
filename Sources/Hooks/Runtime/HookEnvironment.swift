import Lua

/// What every hook of a runtime shares: limits, helpers, and where output and failures go.
public struct HookEnvironment: Sendable {
    public var sandbox: LuaSandbox
    public var log: HookLogSink
    public var failures: @Sendable (HookFailure) -> Void
    public var statistics: HookStatistics
    /// Extra helper modules (http, os), built per hook.
    public var modules: @Sendable (HookFile) -> [LuaModule]
    /// The Lua threads hooks are placed on, round robin.
    public var threads: LuaThreadPool

    public init(
        sandbox: LuaSandbox = LuaSandbox(), log: @escaping HookLogSink, failures: @escaping @Sendable (HookFailure) -> Void,
        statistics: HookStatistics = HookStatistics(), modules: @escaping @Sendable (HookFile) -> [LuaModule] = { _ in [] },
        threads: LuaThreadPool = .shared
    ) {
        self.sandbox = sandbox
        self.log = log
        self.failures = failures
        self.statistics = statistics
        self.modules = modules
        self.threads = threads
    }
}
