import ArgumentParser
import Hooks

/// `kubelua test`: runs each test case as `replay` would and compares what it prints with its
/// `expected.txt`.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run hook test cases offline and compare what they print with their expected.txt.",
        discussion: """
            A test case is a folder holding hooks/, at least one events* recording (replayed in name \
            order), optionally objects* files (what kube.get and kube.list read of other kinds), \
            options.txt (clock, advance, env NAME, selector, flags: `key = value` lines), \
            http-stubs.txt (`METHOD URL STATUS [BODY]` lines answering http requests, which are \
            never sent; unmatched ones get an empty 200) and expected.txt. Each PATH is a case or \
            a folder searched for cases. A hook's lines print as `hook pod: text`; kube writes as \
            ACTION lines, http requests as HTTP lines, failures as ERROR lines. A failing case \
            prints a unified diff (-expected +printed) and the command that updates it. The last \
            line is `N passed, N failed`; exits 1 if any case failed.
            """
    )

    @Flag(help: "Write each case's expected.txt from what it prints, and say which changed.")
    var update = false

    @Argument(help: "Test cases, or folders to search for them.")
    var paths: [String] = ["."]

    func run() async throws {
        let cases: [HookTestCase]
        do {
            cases = try HookTestCase.find(in: paths)
        } catch {
            writeError("\(error)")
            throw ExitCode(1)
        }
        var failed = 0
        for testCase in cases {
            let verdict = await HookTest.verdict(testCase, update: update)
            if verdict.isFailure { failed += 1 }
            for line in lines(for: verdict, of: testCase) { writeLine(line) }
        }
        writeLine("\(cases.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }

    private func lines(for verdict: HookTestVerdict, of testCase: HookTestCase) -> [String] {
        let folder = testCase.folder, updating = "kubelua test --update \(folder)"
        switch verdict {
        case .passed: return ["ok      \(folder)"]
        case .failed(let diff): return ["FAIL    \(folder)"] + diff + ["to accept the printed lines: \(updating)"]
        case .noExpectedFile: return ["FAIL    \(folder): no expected.txt; write it from what the case prints with: \(updating)"]
        case .broken(let message): return ["FAIL    \(folder): \(message)"]
        case .updated(let created): return ["\(created ? "created" : "updated") \(testCase.expected)"]
        case .unchanged: return ["ok      \(folder) (expected.txt unchanged)"]
        }
    }
}
