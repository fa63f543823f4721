import Kube

extension HookRuntime {
    /// Hands events over one at a time, to one hook at a time in name order, and waits for each
    /// to be handled. Slower than `dispatch` (a hook waiting on a helper holds up everything),
    /// but what hooks log comes out in the same order on every run: what `replay` needs.
    public func dispatchInOrder(_ events: [PodEvent]) async {
        let ordered = orderedHooks
        for event in events {
            for hook in ordered {
                hook.handOver([event])
                await hook.waitUntilIdle()
            }
        }
    }

    /// Moves `clock` on to each time a hook's event waits for (retries, debounce windows), in
    /// order, running what becomes due, until nothing waits: the end of a replay.
    public func settle(on clock: VirtualClock) async {
        let ordered = orderedHooks
        while let next = ordered.compactMap(\.nextWake).min() {
            clock.advance(to: next)
            for hook in ordered {
                hook.wakeUp(for: next)
                await hook.waitUntilIdle()
            }
        }
    }

    private var orderedHooks: [HookInstance] {
        let hooks = hooks
        return hooks.keys.sorted().map { hooks[$0]! }
    }
}
