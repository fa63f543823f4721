import Foundation
import Hooks
import Testing

/// Every folder under `examples/` is a test case that `kubelua test examples` passes: the same
/// code path (`HookTestCase.find`, `HookTest.verdict`) runs it here.
@Suite(.timeLimit(.minutes(1))) struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    static let cases: [HookTestCase] = (try? HookTestCase.find(in: [examples])) ?? []

    @Test func theExamplesAreFound() {
        #expect(Self.cases.map { URL(fileURLWithPath: $0.folder).lastPathComponent } == [
            "cleanup-finished", "failure-events", "per-namespace", "phase-recorder", "webhook-notifier",
        ])
    }

    @Test(arguments: cases) func eachExamplePrintsItsExpectedLines(_ testCase: HookTestCase) async throws {
        #expect(FileManager.default.fileExists(atPath: testCase.folder + "/README.md"), "\(testCase.folder) has no README.md")
        let verdict = await HookTest.verdict(testCase)
        #expect(verdict == .passed, "\(verdict)")
    }
}
