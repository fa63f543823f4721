import Hooks
import Kube
import Lua
import Synchronization
import Testing

/// `wait(label)` for hooks: suspends the handler until the test releases that label.
final class Gate: Sendable {
    private let waiting = Mutex<[String: CheckedContinuation<LuaAsyncResult, Never>]>([:])
    private let arrivals: AsyncStream<String>.Continuation
    let arrived: AsyncStream<String>

    init() {
        (arrived, arrivals) = AsyncStream.makeStream()
    }

    var module: LuaModule {
        LuaModule(name: "gate") { state in
            state.newTable()
            state.pushSuspendingFunction(named: "gate.wait") { arguments in
                let label = try arguments.string(at: 1)
                return LuaSuspension { await self.park(label) }
            }
            state.setField("wait")
        }
    }

    private func park(_ label: String) async -> LuaAsyncResult {
        await withCheckedContinuation { continuation in
            waiting.withLock { $0[label] = continuation }
            arrivals.yield(label)
        }
    }

    func release(_ label: String) {
        waiting.withLock { $0.removeValue(forKey: label) }?.resume(returning: .values([]))
    }
}

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
        await runtime.dispatch(events([.added(pod("p1", rv: 1)), .modified(pod("p1", rv: 2)), .added(pod("p2", rv: 3))]))

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

    @Test func aLoopingHookIsKilledWithoutStoppingAnother() async throws {
        let folder = try HooksFolder([
            "default/loop.lua": "function on_add(pod) while true do end end",
            "default/fine.lua": "function on_add(pod) print('fine ' .. pod.metadata.name) end",
        ])
        let output = HookOutput()
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: 1_000_000, timePerCall: .seconds(5)))
        let runtime = HookRuntime(root: folder.root, environment: output.environment(sandbox: sandbox))
        try await runtime.loadAll()
        await runtime.dispatch(events([.added(pod("a", rv: 1)), .added(pod("b", rv: 2))]))
        await runtime.waitUntilIdle()
        #expect(Set(output.texts) == ["fine a", "fine b"])
        #expect(output.failures.map(\.error.kind) == [.instructionBudget, .instructionBudget])
    }
}
