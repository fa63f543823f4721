import Foundation
import Hooks
import Kube
import Lua
import Synchronization

/// A hooks folder in a temporary directory.
struct HooksFolder {
    let root: String

    init(_ files: [String: String]) throws {
        root = NSTemporaryDirectory() + "kubelua-hooks-" + UUID().uuidString
        for (path, source) in files { try write(path, source) }
    }

    func write(_ path: String, _ source: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(source.utf8).write(to: URL(fileURLWithPath: full))
    }
}

/// Collects what hooks log and what fails, and lets a test await a number of lines.
final class HookOutput: Sendable {
    private let state = Mutex<(lines: [HookLogRecord], failures: [HookFailure])>(([], []))
    private let arrivals: AsyncStream<HookLogRecord>.Continuation
    let stream: AsyncStream<HookLogRecord>
    private let failureArrivals: AsyncStream<HookFailure>.Continuation
    /// Each failure as it is reported.
    let failureStream: AsyncStream<HookFailure>

    init() {
        (stream, arrivals) = AsyncStream.makeStream()
        (failureStream, failureArrivals) = AsyncStream.makeStream()
    }

    var lines: [HookLogRecord] { state.withLock { $0.lines } }
    var texts: [String] { lines.map(\.text) }
    var failures: [HookFailure] { state.withLock { $0.failures } }

    /// Records a line as if a hook had logged it.
    @Sendable func append(_ record: HookLogRecord) {
        state.withLock { $0.lines.append(record) }
        arrivals.yield(record)
    }

    /// The environment hooks run in; by default a call may take 30 s: tests that are about the
    /// deadline set their own, and a loaded machine must not turn slow calls into kills.
    func environment(
        sandbox: LuaSandbox = LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(30))), modules: @escaping @Sendable (HookFile) -> [LuaModule] = { _ in [] },
        threads: LuaThreadPool = .shared, ledger: BacklogLedger = BacklogLedger(bound: nil), clock: any HookClock = SystemHookClock()
    ) -> HookEnvironment {
        HookEnvironment(
            sandbox: sandbox,
            log: append,
            failures: { failure in
                self.state.withLock { $0.failures.append(failure) }
                self.failureArrivals.yield(failure)
            },
            ledger: ledger, clock: clock, modules: modules, threads: threads)
    }
}

func podJSON(
    _ name: String, namespace: String = "default", uid: String? = nil, rv: Int, phase: String? = "Pending", owner: String? = nil,
    labels: [String: String] = [:]
) -> String {
    var owners = owner.map { #","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"\#($0)","uid":"j","controller":true}]"# } ?? ""
    if !labels.isEmpty {
        owners += #","labels":{"# + labels.sorted { $0.key < $1.key }.map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",") + "}"
    }
    let status = phase.map { #","status":{"phase":"\#($0)","containerStatuses":[{"name":"c","restartCount":3}]}"# } ?? ""
    return #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"\#(uid ?? name)","resourceVersion":"\#(rv)"\#(owners)},"spec":{"containers":[{"name":"c","image":"busybox","ports":[{"containerPort":8080}]}]}\#(status)}"#
}

func pod(_ name: String, namespace: String = "default", uid: String? = nil, rv: Int, phase: String? = "Pending", owner: String? = nil) -> PodRecord {
    try! PodRecord.scan(Array(podJSON(name, namespace: namespace, uid: uid, rv: rv, phase: phase, owner: owner).utf8))
}

/// Events as the informer would produce them from a sequence of watch events.
func events(_ watchEvents: [WatchEvent]) -> [PodEvent] {
    var store = PodStore()
    return watchEvents.flatMap { store.apply($0) }
}

extension HookRuntime {
    /// Applies watch events to the runtime's cache, as the informer does, and dispatches what they change.
    func feed(_ watchEvents: [WatchEvent]) {
        dispatch(cache.update { store in watchEvents.flatMap { store.apply($0) } })
    }
}
