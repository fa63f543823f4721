import Testing

@testable import Hooks
@testable import Lua

/// What a script logs is cut to `TextLimits` before it reaches the log.
@Suite(.timeLimit(.minutes(1))) struct HookLogLimitTests {
    @Test func hugeMessagesFieldsAndSharedTablesAreTruncated() async throws {
        let source = """
            function on_add(pod)
              local fields = {big = ('v'):rep(5000)}
              local shared = {} for i = 1, 40 do shared = {shared, shared} end
              fields.shared = shared
              for i = 1, 50 do fields['f' .. i] = i end
              log.info(('m'):rep(1 << 20), fields)
              print(('p'):rep(1 << 20))
            end
            """
        let folder = try HooksFolder(["default/h.lua": source])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        runtime.dispatch(events([.added(pod("p", rv: 1))]))
        await runtime.waitUntilIdle()
        let lines = output.lines
        try #require(lines.count == 2)
        let logged = lines[0]
        #expect(logged.message.utf8.count <= TextLimits.message)
        #expect(logged.message.hasSuffix("... (truncated, \(1 << 20) bytes)"))
        #expect(logged.fields.count == TextLimits.fields + 1)
        #expect(logged.fields.last?.1 == .string("(truncated, \(52 - TextLimits.fields) more fields)"))
        let big = try #require(logged.fields.first { $0.0 == "big" }?.1.text)
        #expect(big.hasSuffix("... (truncated, 5000 bytes)"))
        #expect(logged.fields.allSatisfy { LuaModule.render($0.1).utf8.count <= TextLimits.field })
        #expect(lines[1].message.hasSuffix("... (truncated, \(1 << 20) bytes)"))
    }
}
