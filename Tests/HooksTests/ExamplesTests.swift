import Foundation
import Hooks
import Kube
import Testing

/// Every folder under `examples/` replays its recordings (`events*`, in name order) through its
/// hooks as `kubelua replay` does, and prints exactly its `expected.txt`.
@Suite(.timeLimit(.minutes(1))) struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    static let names: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: examples)) ?? []
        return entries.filter { isFolder(examples + "/" + $0) }.sorted()
    }()

    @Test func theExamplesAreFound() {
        #expect(Self.names == ["cleanup-finished", "failure-events", "per-namespace", "phase-recorder", "webhook-notifier"])
    }

    @Test(arguments: names) func replayPrintsTheExpectedOutput(_ name: String) async throws {
        let folder = Self.examples + "/" + name
        let recordings = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("events") }.sorted().map { folder + "/" + $0 }
        #expect(!recordings.isEmpty, "\(name) has no events* recording")
        #expect(FileManager.default.fileExists(atPath: folder + "/README.md"), "\(name) has no README.md")

        // As `kubelua replay --objects objects*.json`: writes print ACTION lines among the hooks' own.
        let output = HookOutput()
        let objectFiles = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("objects") }.sorted()
        let cache = PodCache()
        let kube = KubeHelper.offline(cache: cache, objects: try ReplayObjects(files: objectFiles.map { folder + "/" + $0 })) {
            output.append(HookLogRecord(level: .info, message: $0, fields: [], context: nil, hook: ""))
        }.kube
        let runtime = HookRuntime(root: folder + "/hooks", environment: output.environment(modules: { [.kube(kube, for: $0)] }, clock: VirtualClock()), cache: cache)
        try await HookReplay.run(files: recordings, runtime: runtime)

        #expect(output.failures.map(\.report) == [])
        let expected = try String(contentsOfFile: folder + "/expected.txt", encoding: .utf8)
        let printed = output.texts.map { $0 + "\n" }.joined()
        #expect(lines(printed) == lines(expected))
    }

    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
