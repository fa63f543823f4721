import Foundation
import Testing

/// managedFields are dropped by default (`run`, `replay`, `events` share the cache options):
/// `--keep-managed-fields` keeps them, the old `--strip-managed-fields` is still accepted, and a
/// hook whose reads name them gets them either way.
@Suite(.timeLimit(.minutes(1))) struct ManagedFieldsCommandTests {
    static let pod = #"{"type":"ADDED","object":{"metadata":{"name":"p","namespace":"default","uid":"u","resourceVersion":"1","managedFields":[{"manager":"kubectl"}]}}}"#

    static func folder(hook: String) throws -> String {
        try CheckStrictTests.folder(["hooks/default/h.lua": hook, "events.ndjson": pod])
    }

    @Test func replayDropsThemUnlessKeptOrRead() async throws {
        let undeclared = try Self.folder(hook: "function on_add(pod) print(tostring(pod.metadata.managedFields)) end\n")
        for (flags, expected) in [([], "nil"), (["--strip-managed-fields"], "nil"), (["--keep-managed-fields"], "table")] {
            let run = try await KubeluaProcess.run(["replay", "--hooks", undeclared + "/hooks"] + flags + [undeclared + "/events.ndjson"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.lines.map { $0.prefix(5) } == [Substring(expected)], "\(flags): \(run.lines)")
        }
        let declared = try Self.folder(hook: """
            hook = { reads = { "metadata.managedFields" } }
            function on_add(pod) print(pod.metadata.managedFields[1].manager) end
            """)
        let run = try await KubeluaProcess.run(["replay", "--hooks", declared + "/hooks", declared + "/events.ndjson"])
        #expect(run.lines == ["kubectl"], "\(run.errors)")
        let both = try await KubeluaProcess.run(["replay", "--keep-managed-fields", "--strip-managed-fields", "--hooks", declared + "/hooks", declared + "/events.ndjson"])
        #expect(both.status != 0)
        #expect(both.errors.contains("contradict"), "\(both.errors)")
    }
}
