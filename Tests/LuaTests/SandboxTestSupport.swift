import Testing

@testable import Lua

/// Small limits so attacks are stopped quickly.
let testSandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: 2_000_000, timePerCall: .seconds(5), memory: 8 << 20))

/// Loads `source` as a script whose `run()` is the attack, and returns the error `run` ends with.
func attackError(_ body: String, sandbox: LuaSandbox = testSandbox, modules: [LuaModule] = []) async throws -> LuaError? {
    let script = try LuaScript(
        source: Array("function run()\n\(body)\nend".utf8), chunkName: "attack.lua", sandbox: sandbox, modules: modules)
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
func runInSandbox(_ body: String, results: Int = 1, sandbox: LuaSandbox = testSandbox, modules: [LuaModule] = []) async throws -> [LuaValue] {
    let script = try LuaScript(
        source: Array("function run()\n\(body)\nend".utf8), chunkName: "probe.lua", sandbox: sandbox, modules: modules)
    return try await script.call("run", [], resultCount: results) ?? []
}

/// No instruction budget, a short deadline: loops in C must be stopped by the deadline alone.
let deadlineSandbox = LuaSandbox(limits: LuaSandboxLimits(instructionsPerCall: nil, timePerCall: .milliseconds(200), memory: 8 << 20))

/// `probe.copy(v)`: copies `v` out to Swift as every helper reading a table argument does, and
/// returns how many fields the copy has at its top level.
let copyProbe = LuaModule(name: "probe") { state in
    state.newTable()
    state.pushFunction(named: "probe.copy") { arguments in
        guard case .table(let fields) = try arguments.value(at: 1) else { return 0 }
        arguments.push(.integer(Int64(fields.count)))
        return 1
    }
    state.setField("copy")
}
