import Foundation

/// What became of one test case: its printed lines against its `expected.txt`, which
/// `--update` writes instead of comparing.
public enum HookTestVerdict: Sendable, Equatable {
    case passed
    /// The diff of `expected.txt` against the printed lines.
    case failed(diff: [String])
    /// No `expected.txt` yet (and not updating).
    case noExpectedFile
    /// The case could not run: a bad options, stubs, objects or events file.
    case broken(String)
    /// `--update`: `expected.txt` was written (it changed or did not exist) or left as it was.
    case updated(created: Bool)
    case unchanged

    public var isFailure: Bool {
        switch self {
        case .failed, .noExpectedFile, .broken: true
        case .passed, .updated, .unchanged: false
        }
    }
}

extension HookTest {
    /// Runs the case and compares (or, with `update`, writes) its `expected.txt`.
    public static func verdict(_ testCase: HookTestCase, update: Bool = false) async -> HookTestVerdict {
        let printed: [String]
        do {
            printed = try await run(testCase)
        } catch {
            return .broken("\(error)")
        }
        let existing = try? String(contentsOfFile: testCase.expected, encoding: .utf8)
        let expected = existing.map(lines)
        if update {
            if expected == printed { return .unchanged }
            do {
                try printed.map { $0 + "\n" }.joined().write(toFile: testCase.expected, atomically: true, encoding: .utf8)
            } catch {
                return .broken("\(testCase.expected): cannot write the file: \((error as NSError).localizedDescription)")
            }
            return .updated(created: existing == nil)
        }
        guard let expected else { return .noExpectedFile }
        if expected == printed { return .passed }
        return .failed(diff: UnifiedDiff(from: expected, to: printed).lines(old: testCase.expected, new: "printed"))
    }

    /// A file's lines; a final newline ends the last line rather than starting an empty one.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
