import Hooks
import Kube
import Lua
import Testing

/// What a hook's author reads when a handler fails: where, why, and what to change.
@Suite(.timeLimit(.minutes(1)))
struct HookErrorMessageTests {
    private func failure(of source: String, sandbox: LuaSandbox = LuaSandbox()) async throws -> HookFailure {
        let folder = try HooksFolder(["default/h.lua": source])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(sandbox: sandbox))
        #expect(try await runtime.loadAll().isEmpty)
        runtime.dispatch(events([.added(pod("p", rv: 1))]))
        await runtime.waitUntilIdle()
        return try #require(output.failures.first)
    }

    @Test func aBudgetKillNamesTheLineAndTheOption() async throws {
        let failure = try await failure(of: "function on_add(pod)\n  local n = 0\n  while true do n = n + 1 end\nend\n",
            sandbox: LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: 100_000, timePerCall: .seconds(30))))
        #expect(failure.description.hasSuffix(
            "/default/h.lua:3: instruction budget exceeded: the call used up its budget of 100,000 instructions (--instruction-limit) (pod default/p) in on_add"),
            "\(failure.description)")
        #expect(failure.event == "add")
    }

    @Test func aDeadlineNamesTheLineAndTheOption() async throws {
        let failure = try await failure(of: "function on_add(pod)\n  while true do end\nend\n",
            sandbox: LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: nil, timePerCall: .milliseconds(200))))
        #expect(failure.description.contains("/default/h.lua:2: deadline exceeded: the call ran past its time limit of 0.2 s, waits included (--time-limit)"),
            "\(failure.description)")
    }

    @Test func runningOutOfMemoryNamesTheCapAndTheOption() async throws {
        let failure = try await failure(of: "function on_add(pod)\n  local t = {}\n  for i = 1, 1e7 do t[i] = ('x'):rep(64) .. i end\nend\n",
            sandbox: LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: nil, timePerCall: .seconds(30), memory: 4 << 20)))
        #expect(failure.description.contains("not enough memory: the script passed its 4 MiB cap (--memory-limit)"), "\(failure.description)")
        #expect(failure.description.contains("/default/h.lua:3: "), "\(failure.description)")
    }

    @Test(arguments: [
        ("io.write('x')", "'io' is not available in the kubelua sandbox"),
        ("dofile('x.lua')", "'dofile' is not available in the kubelua sandbox"),
        ("os.execute('ls')", "if this is os.execute: it is not available in the kubelua sandbox"),
    ])
    func usingWhatTheSandboxRemovedSaysSo(call: String, hint: String) async throws {
        let failure = try await failure(of: "function on_add(pod)\n  \(call)\nend\n")
        #expect(failure.description.contains("/default/h.lua:2: attempt to "), "\(failure.description)")
        #expect(failure.description.contains("(\(hint))"), "\(failure.description)")
    }

    @Test func anUnknownNilGlobalKeepsLuasMessageAndStillReadsAsNil() async throws {
        let failure = try await failure(of: "function on_add(pod)\n  if missing == nil then mystery() end\nend\n")
        #expect(failure.description.contains("attempt to call a nil value (global 'mystery') (pod default/p)"), "\(failure.description)")
    }
}
