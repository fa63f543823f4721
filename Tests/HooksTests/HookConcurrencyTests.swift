import Hooks
import Kube
import Lua
import LuaGate
import Testing

@Suite(.timeLimit(.minutes(1))) struct HookConcurrencyTests {
    @Test func aHookWaitingOnAHelperDelaysNeitherOtherHooksNorOtherPods() async throws {
        let folder = try HooksFolder([
            "default/slow.lua": """
                function on_add(pod) if pod.metadata.name == 'p1' then gate.wait('slow ' .. pod.metadata.name) end print('slow added ' .. pod.metadata.name) end
                function on_update(old, new) print('slow updated ' .. new.metadata.name) end
                """,
            "default/fast.lua": "function on_add(pod) print('fast added ' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let gate = Gate()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(modules: { _ in [gate.module] }))
        try await runtime.loadAll()
        runtime.dispatch(events([.added(pod("p1", rv: 1)), .modified(pod("p1", rv: 2)), .added(pod("p2", rv: 3))]))

        var arrivals = gate.arrived.makeAsyncIterator()
        #expect(await arrivals.next() == "slow p1")
        // While p1's handler waits: the other hook ran, and the slow hook handled p2, but p1's
        // update waits behind p1's add.
        var lines = output.stream.makeAsyncIterator()
        var seen: Set<String> = []
        while seen.count < 3, let line = await lines.next() { seen.insert(line.text) }
        #expect(seen == ["fast added p1", "fast added p2", "slow added p2"])
        #expect(!output.texts.contains("slow updated p1"))

        gate.release("slow p1")
        await runtime.waitUntilIdle()
        let slowLines = output.texts.filter { $0.hasPrefix("slow") }
        #expect(slowLines == ["slow added p2", "slow added p1", "slow updated p1"])
    }

    /// A pod whose handler waits keeps its events, also those that come in later batches and
    /// while a second handler of its waits, in order behind it; other pods' events run meanwhile.
    @Test func aWaitingPodsLaterEventsRunAfterItInOrderWhileOtherPodsGoOn() async throws {
        let folder = try HooksFolder([
            "default/h.lua": """
                function on_add(pod) if pod.metadata.name == 'p1' then gate.wait('add') end print('added ' .. pod.metadata.name) end
                function on_update(old, new) print('updated ' .. new.metadata.name .. ' ' .. new.metadata.resourceVersion) end
                function on_phase(pod, from, to)
                  if pod.metadata.name == 'p1' and to == 'Running' then gate.wait('running') end
                  print('phase ' .. pod.metadata.name .. ' ' .. to)
                end
                """,
        ])
        let output = HookOutput()
        let gate = Gate()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(modules: { _ in [gate.module] }))
        try await runtime.loadAll()
        var arrivals = gate.arrived.makeAsyncIterator()
        var lines = output.stream.makeAsyncIterator()

        await runtime.feed([.added(pod("p1", rv: 1))])
        #expect(await arrivals.next() == "add")
        await runtime.feed([.modified(pod("p1", rv: 2, phase: "Running")), .added(pod("p2", rv: 3))])
        #expect(await lines.next()?.text == "added p2")
        #expect(await lines.next()?.text == "phase p2 Pending")

        // p1's add finishes, then its update, whose on_phase waits in turn.
        gate.release("add")
        #expect(await arrivals.next() == "running")
        await runtime.feed([.modified(pod("p1", rv: 4, phase: "Running")), .added(pod("p3", rv: 5))])
        var beforeRelease: [String] = []
        while !beforeRelease.contains("phase p3 Pending"), let line = await lines.next() { beforeRelease.append(line.text) }
        #expect(beforeRelease == ["added p1", "phase p1 Pending", "updated p1 2", "added p3", "phase p3 Pending"])

        gate.release("running")
        await runtime.waitUntilIdle()
        #expect(output.texts.filter { $0.contains("p1") } == [
            "added p1", "phase p1 Pending", "updated p1 2", "phase p1 Running", "updated p1 4",
        ])
        #expect(output.failures.isEmpty)
    }

    @Test func aLoopingHookIsKilledWithoutStoppingAnother() async throws {
        let folder = try HooksFolder([
            "default/loop.lua": "function on_add(pod) while true do end end",
            "default/fine.lua": "function on_add(pod) print('fine ' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: 1_000_000, timePerCall: .seconds(5)))
        let runtime = HookRuntime(root: folder.root, environment: output.environment(sandbox: sandbox))
        try await runtime.loadAll()
        runtime.dispatch(events([.added(pod("a", rv: 1)), .added(pod("b", rv: 2))]))
        await runtime.waitUntilIdle()
        #expect(Set(output.texts) == ["fine a", "fine b"])
        #expect(output.failures.map(\.error.kind) == [.instructionBudget, .instructionBudget])
    }

    /// A hook with a long backlog of busy handlers lets the other hooks on its thread have a
    /// turn (its worker yields the thread every few milliseconds) instead of running its whole
    /// backlog first. The busy hook's 60 events take far longer than one turn, so without the
    /// turns the quick hook, handed its event after them, would run last.
    @Test func aHookWithALongBacklogLetsHooksOnItsThreadTakeTurns() async throws {
        let folder = try HooksFolder([
            "slow/busy.lua": "function on_add(pod) local n = 0 for i = 1, 400000 do n = n + i end print('busy ' .. pod.metadata.name) end",
            "fast/quick.lua": "function on_add(pod) print('quick ' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(threads: LuaThreadPool(threads: 1)))
        try await runtime.loadAll()
        let busy = (1...60).map { WatchEvent.added(pod("s\($0)", namespace: "slow", rv: $0)) }
        runtime.dispatch(events(busy))
        runtime.dispatch(events([.added(pod("f", namespace: "fast", rv: 61))]))
        await runtime.waitUntilIdle()

        let texts = output.texts
        let quick = try #require(texts.firstIndex(of: "quick f"))
        #expect(texts.filter { $0.hasPrefix("busy ") } == busy.indices.map { "busy s\($0 + 1)" })
        #expect(quick < texts.count - 1, "the quick hook ran only after the busy hook's whole backlog: \(texts.suffix(3))")
    }

    /// No hook is tied to a thread: while one hook's call holds a thread, every other hook runs on
    /// the other, however many there are (with five hooks placed on two threads, at least one
    /// shared the busy one's thread and waited for it).
    @Test func whileOneHookHoldsAThreadEveryOtherHookRunsOnTheOther() async throws {
        let others = ["b", "c", "d", "e"]
        var scripts = ["default/a_busy.lua": "function on_add(pod) block.hold(pod.metadata.name) print('busy added ' .. pod.metadata.name) end"]
        for name in others { scripts["default/\(name)_other.lua"] = "function on_add(pod) print('\(name) added ' .. pod.metadata.name) end" }
        let folder = try HooksFolder(scripts)
        let output = HookOutput()
        let blocker = ThreadBlocker()
        let environment = output.environment(
            sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: nil)), modules: { _ in [blocker.module] }, threads: LuaThreadPool(threads: 2))
        let runtime = HookRuntime(root: folder.root, environment: environment)
        try await runtime.loadAll()
        var lines = output.stream.makeAsyncIterator()

        runtime.dispatch(events([.added(pod("p1", rv: 1)), .added(pod("p2", rv: 2))]))
        var arrivals = blocker.arrived.makeAsyncIterator()
        #expect(await arrivals.next() == "p1")
        // The busy hook holds one thread (the blocker lets go only after 10 s): the other four
        // handle both pods on the other thread meanwhile.
        var handled: [String] = []
        while handled.count < 8, let line = await lines.next() { handled.append(line.text) }
        #expect(Set(handled) == Set(others.flatMap { ["\($0) added p1", "\($0) added p2"] }))

        blocker.release("p1")
        #expect(await arrivals.next() == "p2")
        blocker.release("p2")
        await runtime.waitUntilIdle()
        #expect(output.texts.filter { $0.hasPrefix("busy") } == ["busy added p1", "busy added p2"])
    }

    /// A handler that keeps its thread busy (here: blocked in a host function) must not hold up
    /// hooks on other threads: handing events over never waits for a hook.
    @Test func aHookBusyOnItsThreadDoesNotDelayHooksOnOtherThreads() async throws {
        let folder = try HooksFolder([
            "default/a_busy.lua": "function on_add(pod) if pod.metadata.name == 'p1' then block.hold('p1') end print('busy added ' .. pod.metadata.name) end",
            "default/b_other.lua": "function on_add(pod) print('other added ' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let blocker = ThreadBlocker()
        // Two threads, hooks placed round robin in name order: each hook has a thread of its own.
        let environment = output.environment(sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: nil)), modules: { _ in [blocker.module] }, threads: LuaThreadPool(threads: 2))
        let runtime = HookRuntime(root: folder.root, environment: environment)
        try await runtime.loadAll()
        var lines = output.stream.makeAsyncIterator()

        runtime.dispatch(events([.added(pod("p1", rv: 1))]))
        var arrivals = blocker.arrived.makeAsyncIterator()
        #expect(await arrivals.next() == "p1")
        #expect(await lines.next()?.text == "other added p1")

        // The busy hook's thread is blocked now; the next events reach the other hook at once
        // (before the fix, dispatching waited for the busy thread, until the blocker's bound).
        runtime.dispatch(events([.added(pod("p2", rv: 2))]))
        #expect(await lines.next()?.text == "other added p2")
        #expect(!output.texts.contains { $0.hasPrefix("busy") })

        blocker.release("p1")
        await runtime.waitUntilIdle()
        #expect(output.texts.filter { $0.hasPrefix("busy") } == ["busy added p1", "busy added p2"])
    }
}
