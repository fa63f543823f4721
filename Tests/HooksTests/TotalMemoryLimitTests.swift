import Foundation
import Hooks
import Kube
import Lua
import Testing

/// `--total-memory-limit`: all hooks' Lua memory together is capped; the hook whose allocation
/// would pass the cap fails as a memory kill, the others go on, and the total stays bounded.
@Suite(.timeLimit(.minutes(1))) struct TotalMemoryLimitTests {
    static let modest = "function on_add(pod) kept = string.rep(pod.metadata.name, 1 << 18) print('ok') end"

    @Test func onlyTheHookPassingTheCapFailsAndTheOthersGoOn() async throws {
        let folder = try HooksFolder([
            "default/a.lua": Self.modest,
            "default/b-hog.lua": "function on_add(pod) local big = string.rep('x', 40 << 20) print('never ' .. #big) end",
            "default/c.lua": Self.modest,
        ])
        let recording = folder.root + "/pods.ndjson"
        let lines = (1...2).map { #"{"type":"ADDED","object":\#(podJSON("p" + String($0), rv: $0))}"# }
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: recording))
        // Each script alone may use 128 MiB: the hog's 40 MiB string (built in a growing buffer) is refused by the shared cap only.
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(30), memory: 128 << 20, totalMemory: 24 << 20))
        let pool = try #require(sandbox.memoryPool)
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(sandbox: sandbox, clock: VirtualClock()), cache: PodCache())
        try await HookReplay.run(files: [recording], runtime: runtime)
        #expect(output.texts == ["ok", "ok", "ok", "ok"])
        #expect(output.failures.map(\.hook) == ["default/b-hog.lua", "default/b-hog.lua"])
        #expect(output.failures.allSatisfy { $0.error.kind == .memory && $0.error.message.contains("all hooks together their 24 MiB (--total-memory-limit)") })
        #expect(pool.used > 0 && pool.used < pool.limit)
    }

    @Test func statesOutsideThePoolAreNotCounted() throws {
        let pool = LuaMemoryPool(limit: 8 << 20)
        let counted = try LuaState(pool: pool)
        let before = pool.used
        #expect(before > 0)
        let alone = try LuaState()
        #expect(alone.memoryUsed > 0 && pool.used == before)
        _ = counted
    }
}
