import Lua

extension LuaModule {
    /// The `metrics` module of one hook (see the README's "Metrics and health"): declarations
    /// checked against every hook's, updates to the hook's own series, capped per hook. With
    /// `--shards`, each shard's copy of a hook updates series of its own (`shard` label).
    static func metrics(_ metrics: HookMetrics, hook: String, shard: Int?, sink: @escaping HookLogSink) -> LuaModule {
        LuaModule(name: "metrics") { state in
            let scope = HookMetricsScope(metrics: metrics, hook: hook, shard: shard, sink: sink)
            do {
                try state.load(metricsModuleSource, chunkName: "=kubelua metrics")
                state.pushFunction(named: "metrics.declare") { arguments in scope.declare(arguments) }
                state.pushFunction(named: "metrics.record") { arguments in scope.record(arguments) }
                try state.call(argumentCount: 2, resultCount: 1)
            } catch {
                // Only a state without memory for a few functions gets here; its metrics is empty.
                state.newTable()
            }
        }
    }
}
