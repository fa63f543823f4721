import Foundation
import Kube
import Lua
import Synchronization

/// Runs a test case as `kubelua replay` would (`HookReplay.run`, a virtual clock, the case's
/// options) and collects what it prints, each line saying who printed it:
///
/// ```
/// _all/cleanup.lua staging/report-1: deleted a finished Job pod job=report
/// ACTION delete v1/pods staging/report-1 uid=... (hook _all/cleanup.lua)
/// HTTP POST https://hooks.example.com/x {"text":"..."} (hook _all/notify.lua)
/// ERROR _all/notify.lua:12: webhook down (pod payments/api-1) in on_phase; retrying (attempt 2) in 1.4 s
/// ```
///
/// A hook's lines are `hook pod: text` (`hook: text` at its top level and in calls about no
/// pod); a handler that raised prints its failure, without the traceback.
public enum HookTest {
    public static func run(_ testCase: HookTestCase) async throws -> [String] {
        let options = try read(testCase.optionsFile).map { try HookTestOptions(file: testCase.optionsFile, text: $0) } ?? HookTestOptions()
        let stubs = try read(testCase.stubsFile).map { try HTTPStubs(file: testCase.stubsFile, text: $0) } ?? HTTPStubs()
        let lines = Mutex<[String]>([])
        let print: @Sendable (String) -> Void = { line in lines.withLock { $0.append(line) } }

        let cache = PodCache(stripManagedFields: options.stripManagedFields)
        let kube = KubeHelper.offline(
            cache: cache, objects: try ReplayObjects(files: testCase.objects), clusterReads: Set(options.clusterReads),
            reportRefusal: { print("REFUSED \($0.message)") }, printAction: print
        ).kube
        let http = HTTPHelper(stubs: stubs, print: print)
        let environment = HookEnvironment(
            sandbox: LuaSandbox(limits: options.limits, environment: options.environment),
            log: { record in print(line(record)) },
            failures: { failure in print("ERROR \(failure.description)") },
            clock: VirtualClock(wallStart: options.wallStart),
            modules: { file in [.http(http, hook: file.name), .kube(kube, for: file)] }, dryRun: options.dryRun)
        let runtime = HookRuntime(root: testCase.hooks, environment: environment, cache: cache)
        try await HookReplay.run(files: testCase.events, runtime: runtime, advance: options.advance, selector: options.selector)
        return lines.withLock { $0 }
    }

    /// `hook pod: text`, or `hook: text` when no pod is concerned.
    static func line(_ record: HookLogRecord) -> String {
        let pod = record.context?.pod.map { " \($0)" } ?? ""
        return "\(record.hook)\(pod): \(record.text)"
    }

    /// The file's text, nil when it does not exist.
    private static func read(_ path: String) throws(HookTestError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw HookTestError("\(path): cannot read the file: \((error as NSError).localizedDescription)")
        }
    }
}
