import Testing

@testable import Lua

/// Host-side attack classes: work done in Swift or C whose size a script controls. Each must end
/// as a Lua error in the attacking call, bounded by the state's memory cap or the call's
/// deadline, and the script must keep working (checked by `attackError`).
extension SandboxAttackTests {
    @Test func jsonEncodeOfOneSubTableReferencedEverywhereStopsAtTheCap() async throws {
        let error = try await attackError("local t = {} for i = 1, 40 do t = {t, t} end return json.encode(t)")
        #expect(error?.kind == .memory)
        #expect(error?.message.contains("json.encode") == true)
    }

    @Test func jsonEncodeOfALongStringRepeatedStopsAtTheCap() async throws {
        let error = try await attackError("local s = ('x'):rep(1 << 20) local t = {} for i = 1, 4096 do t[i] = s end return json.encode(t)")
        #expect(error?.kind == .memory)
    }

    @Test(arguments: [
        "local s = ('x'):rep(1 << 20) return s:gsub('x', s)",
        "local s = ('x'):rep(1 << 20) return s:gsub('.+', ('%0'):rep(100000))",
        "local s = ('x'):rep(1 << 20) return s:gsub('x', function() return s end)",
        "local s = ('x'):rep(1 << 20) return s:gsub('x', {x = s})",
    ])
    func gsubResultsStopAtTheCap(attack: String) async throws {
        let error = try await attackError(attack)
        #expect(error?.kind == .memory)
    }

    @Test func capturesArePushedOnlyWhenTheyFitUnderTheCap() async throws {
        // 32 nested captures of a 1 MiB subject would be 32 MiB of new strings.
        let script = try LuaScript(
            source: Array("function run() local s = ('x'):rep(1 << 20) return s:match(('('):rep(32) .. '.*' .. (')'):rep(32)) end".utf8),
            chunkName: "captures.lua", sandbox: testSandbox)
        let attacked = script.state
        let error = await #expect(throws: LuaError.self) { _ = try await script.call("run", []) }
        #expect(error?.kind == .memory)
        #expect(attacked.memoryPeak < 16 << 20)
        #expect(try await script.call("run_after", []) == nil)
    }

    @Test func copyingAHugeTableOutOfLuaIsAnError() async throws {
        let error = try await attackError("local t = {} for i = 1, 150000 do t[i] = i end return probe.copy(t)", modules: [copyProbe])
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("value too large to copy out of Lua") == true)
    }

    @Test(arguments: [
        // table.move over almost the whole allowed range, every slot a C metamethod call.
        "local a = setmetatable({}, {__index = tostring, __newindex = rawequal}) table.move(a, 1, (1 << 24) - 1, 2)",
        // table.concat whose every slot is table.concat of an empty table: no memory grows.
        "local a = setmetatable({}, {__index = table.concat}) return table.concat(a, '', 1, (1 << 24) - 1)",
        // table.insert at the front of a table that claims almost the allowed length.
        "local a = setmetatable({}, {__len = function() return (1 << 24) - 1 end, __index = tostring, __newindex = rawequal}) "
            + "table.insert(a, 1, 'x')",
        // table.remove from the front of the same.
        "local a = setmetatable({}, {__len = function() return (1 << 24) - 1 end, __index = tostring, __newindex = rawequal}) "
            + "table.remove(a, 1)",
        // table.sort of one long string many times: each comparison is a full strcmp in C.
        "local s = ('x'):rep(1 << 20) local t = {} for i = 1, 5000 do t[i] = s end table.sort(t)",
    ])
    func loopsInCAreStoppedByTheDeadline(attack: String) async throws {
        let error = try await attackError(attack, sandbox: deadlineSandbox)
        #expect(error?.kind == .deadline)
    }

    @Test func sortingALyingLengthThroughCMetamethodsIsBounded() async throws {
        let error = try await attackError(
            "local a = setmetatable({}, {__len = function() return 1 << 22 end, __index = tostring, __newindex = rawequal}) table.sort(a)",
            sandbox: deadlineSandbox)
        #expect(error?.kind == .memory || error?.kind == .deadline)
    }

    @Test(arguments: [
        "table.move({}, 1, '9223372036854775807', 2)",
        "table.move({}, '1', 2 ^ 40, 2)",
        "table.concat(setmetatable({}, {__index = table.concat}), '', 1, 2 ^ 40)",
    ])
    func hugeRangesAreRefusedWhateverTheirType(attack: String) async throws {
        let error = try await attackError(attack)
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("range too large") == true)
    }

    @Test(arguments: [
        // os.time() returns the same digits forever: one endless numeral, read by a C reader
        // the count hook never sees.
        "local f, err = load(os.time) error(err, 0)",
        "local f, err = load(('x = 1 '):rep(400000)) error(err, 0)",
    ])
    func compilingIsBoundedBySize(attack: String) async throws {
        let error = try await attackError(attack, sandbox: deadlineSandbox)
        #expect(error?.message.contains("chunk too large (more than 1024 KiB)") == true)
    }

    @Test func aHugeErrorMessageIsTruncated() async throws {
        let error = try await attackError("error(('x'):rep(1 << 20))")
        let message = try #require(error?.message)
        #expect(message.utf8.count <= TextLimits.message)
        #expect(message.hasPrefix("attack.lua:2: xxx"))
        #expect(message.hasSuffix("... (truncated, \((1 << 20) + 14) bytes)"))
    }

    @Test func readOnlyLibrariesDoNotHandOutTheirRealTable() async throws {
        let error = try await attackError("local _, s = pairs(string) rawset(s, 'find', nil)")
        #expect(error?.message == "attack.lua:2: bad argument #1 to 'rawset' (table is read-only)")
        #expect(try await runInSandbox("local n = 0 for k in pairs(string) do n = n + 1 end return n > 10 and type(string.find)") == ["function"])
    }
}
