import Lua

extension LuaModule {
    /// `timer.after(pod, delay)`: calls `on_timer(pod, ctx)` with the pod's latest cached state
    /// once `delay` (seconds, or `"90s"`, `"1h"`) has passed; one pending timer per pod (a later
    /// call replaces it). `timer.cancel(pod)` drops it. Timers live in memory (`docs/hooks.md`).
    static func timer(for instance: HookInstance) -> LuaModule {
        LuaModule(name: "timer") { [weak instance] state in
            do {
                try state.load(timerModuleSource, chunkName: "=kubelua timer")
                // The primitives return nothing on success, or the reason: the Lua side raises
                // it at the caller's line.
                state.pushFunction(named: "timer.after") { arguments in
                    let namespace = try arguments.string(at: 1), name = try arguments.string(at: 2)
                    let value = try arguments.value(at: 3)
                    guard let delay = SettingText.duration(value), delay > .zero, delay <= .seconds(30 * 86_400) else {
                        arguments.push("timer.after: expected a delay from 1ms to 30 days such as \"90s\" or a number of seconds, got \(SettingText.shown(value))")
                        return 1
                    }
                    guard let refusal = instance?.setTimer(namespace: namespace, name: name, after: delay) else { return 0 }
                    arguments.push("timer.after: \(refusal)")
                    return 1
                }
                state.pushFunction(named: "timer.cancel") { arguments in
                    instance?.cancelTimer(namespace: try arguments.string(at: 1), name: try arguments.string(at: 2))
                    return 0
                }
                try state.call(argumentCount: 2, resultCount: 1)
            } catch {
                // Only a state without memory for a few functions gets here; its timer is empty.
                state.newTable()
            }
        }
    }
}

/// The Lua side of `timer`: reads the pod's namespace and name, and raises the primitives'
/// refusals at the caller's line.
private let timerModuleSource = """
    local after, cancel = ...
    local function key(pod, name)
      local metadata = type(pod) == "table" and (pod.metadata or pod) or nil
      if type(metadata) ~= "table" or type(metadata.namespace) ~= "string" or type(metadata.name) ~= "string" then
        error(name .. ": expected a pod (a table with metadata.namespace and metadata.name)", 3)
      end
      return metadata.namespace, metadata.name
    end
    return {
      after = function(pod, delay)
        local namespace, name = key(pod, "timer.after")
        local refused = after(namespace, name, delay)
        if refused then error(refused, 2) end
      end,
      cancel = function(pod) cancel(key(pod, "timer.cancel")) end,
    }
    """
