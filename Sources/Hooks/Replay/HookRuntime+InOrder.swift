import Kube

extension HookRuntime {
    /// Hands events over one at a time, to one hook at a time in name order, and waits for each
    /// to be handled. Slower than `dispatch` (a hook waiting on a helper holds up everything),
    /// but what hooks log comes out in the same order on every run: what `replay` needs.
    public func dispatchInOrder(_ events: [PodEvent]) async {
        let hooks = hooks
        let ordered = hooks.keys.sorted().map { hooks[$0]! }
        for event in events {
            for hook in ordered where hook.accepts(event) {
                hook.enqueue([event])
                await hook.waitUntilIdle()
            }
        }
    }
}
