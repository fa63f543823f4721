import Lua

extension LuaModule {
    /// `retry()` or `retry(delay)`, conventionally as `return retry("30s")`: asks for the
    /// handler to run again for the same event, after the delay or the hook's retry backoff.
    static let retry = LuaModule(name: "retry") { state in
        state.pushFunction(named: "retry") { arguments in
            guard let control = (arguments.callContext as? HookCallContext)?.control else {
                throw LuaRaisedError("retry() can only be called while a handler runs")
            }
            var delay: Duration?
            if !arguments.isNil(at: 1) {
                let value = try arguments.value(at: 1)
                guard let asked = SettingText.duration(value), asked > .zero, asked <= .seconds(86_400) else {
                    throw LuaRaisedError("retry: expected a delay from 1ms to 24h such as \"30s\" or a number of seconds, got \(SettingText.shown(value))")
                }
                delay = asked
            }
            control.requestRetry(after: delay)
            return 0
        }
    }
}
