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

    /// The end of a replay: moves `clock` on by `advance`, stopping at each wake-up due on the
    /// way (retries, debounce windows, timers, schedule ticks, resyncs) in order and running
    /// what it brings; then runs the events still waiting (retries, debounce windows) at their
    /// times, so none is lost. Timers and ticks after `advance` do not fire.
    public func settle(on clock: VirtualClock, advance: Duration = .zero) async {
        let ordered = orderedHooks
        let end = clock.now + advance.nanoseconds
        while let next = ordered.compactMap({ $0.nextWake(eventsOnly: false) }).min(), next <= end {
            await reach(next, on: clock, hooks: ordered)
        }
        clock.advance(to: end)
        while let next = ordered.compactMap({ $0.nextWake(eventsOnly: true) }).min() {
            await reach(next, on: clock, hooks: ordered)
        }
    }

    private func reach(_ instant: UInt64, on clock: VirtualClock, hooks: [HookInstance]) async {
        clock.advance(to: instant)
        for hook in hooks {
            hook.wakeUp(for: instant)
            await hook.waitUntilIdle()
        }
    }

    private var orderedHooks: [HookInstance] {
        let hooks = hooks
        return hooks.keys.sorted().map { hooks[$0]! }
    }
}
