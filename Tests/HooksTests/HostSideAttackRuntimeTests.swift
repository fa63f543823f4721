import Hooks
import Kube
import Lua
import Testing

/// The host-side attack classes run as real hooks beside a well-behaved one: each attack fails
/// in its own hook as a Lua error, on every event, and the other hook still sees every event.
@Suite(.timeLimit(.minutes(1))) struct HostSideAttackRuntimeTests {
    static let attacks: [String: String] = [
        "encode_shared": "local t = {} for i = 1, 40 do t = {t, t} end json.encode(t)",
        "gsub_large": "local s = ('x'):rep(1 << 20) s:gsub('x', ('y'):rep(1 << 10))",
        "copy_out_size": "local s = ('x'):rep(1 << 20) local t = {} for i = 1, 100 do t[i] = s end log.info('x', t)",
        "move_c_metamethods": "local t = setmetatable({}, {__index = tostring, __newindex = rawequal}) table.move(t, 1, (1 << 24) - 1, 2)",
        "concat_c_index": "table.concat(setmetatable({}, {__index = table.concat}), '', 1, (1 << 24) - 1)",
        "insert_lying_len": "table.insert(setmetatable({}, {__len = function() return 1 << 40 end}), 1, 'x')",
        "sort_long_strings": "local s = ('x'):rep(1 << 20) local t = {} for i = 1, 5000 do t[i] = s end table.sort(t)",
        "load_reader": "assert(load(os.time))",
        "huge_range": "table.move({}, 1, '9223372036854775807', 2)",
        "resume_handler": "local co = coroutine.running() coroutine.resume(co)",
    ]

    @Test func everyAttackFailsInItsOwnHookAndTheWitnessSeesEveryEvent() async throws {
        var files = ["default/witness.lua": "function on_add(pod) print('saw ' .. pod.metadata.name) end"]
        for (name, body) in Self.attacks { files["default/\(name).lua"] = "function on_add(pod) \(body) end" }
        let folder = try HooksFolder(files)
        let output = HookOutput()
        let sandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: 5_000_000, timePerCall: .milliseconds(300), memory: 16 << 20))
        let runtime = HookRuntime(root: folder.root, environment: output.environment(sandbox: sandbox))
        #expect(try await runtime.loadAll().isEmpty)
        let pods = ["p1", "p2", "p3"]
        await runtime.feed(pods.enumerated().map { .added(pod($0.element, rv: $0.offset + 1)) })
        await runtime.waitUntilIdle()

        #expect(output.texts.filter { $0.hasPrefix("saw ") }.sorted() == pods.map { "saw \($0)" })
        for name in Self.attacks.keys.sorted() {
            let failed = output.failures.filter { $0.hook == "default/\(name).lua" }.compactMap(\.pod?.name)
            #expect(failed.sorted() == pods, "\(name): \(output.failures.filter { $0.hook == "default/\(name).lua" }.map(\.error.message))")
        }
    }
}
