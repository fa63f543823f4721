import Testing

@testable import Lua

/// Small limits so attacks are stopped quickly.
let testSandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: 2_000_000, timePerCall: .seconds(5), memory: 8 << 20))

/// Loads `source` as a script whose `run()` is the attack, and returns the error `run` ends with.
func attackError(_ body: String, sandbox: LuaSandbox = testSandbox) async throws -> LuaError? {
    let script = try LuaScript(source: Array("function run()\n\(body)\nend".utf8), chunkName: "attack.lua", sandbox: sandbox)
    do {
        _ = try await script.call("run", [])
        return nil
    } catch {
        // The script keeps working after whatever the attack did.
        try await #require(script.state.memoryExceeded == false)
        let after = try await script.call("run_after", []) // absent: nil, no error
        #expect(after == nil)
        return error
    }
}

/// Runs `body` as a script's `run()` and returns its results.
func runInSandbox(_ body: String, results: Int = 1, sandbox: LuaSandbox = testSandbox) async throws -> [LuaValue] {
    let script = try LuaScript(source: Array("function run()\n\(body)\nend".utf8), chunkName: "probe.lua", sandbox: sandbox)
    return try await script.call("run", [], resultCount: results) ?? []
}
