import Foundation
import Kube
import Synchronization

/// One `kubelua run --leader-elect` child of the takeover part (started with `posix_spawn`,
/// leading its own process group), and what it logged: its hook's calls and kubelua's own
/// messages, each with the monotonic time the parent read the line.
final class TakeoverReplica: Sendable {
    struct Log {
        var calls: [HandledCall] = []
        var messages: [(at: Int64, text: String)] = []

        /// When `text` was first logged at or after `instant`.
        func message(_ text: String, after instant: Int64 = 0) -> Int64? {
            messages.first { $0.at >= instant && $0.text == text }?.at
        }
    }

    /// Its name in the Lease (`POD_NAME`).
    let name: String
    private let pid: pid_t
    private let log = Mutex(Log())
    /// Its standard error read to the end: every line is in `log`.
    private let closed = OneShot<Void>()
    /// How it ended, and when it was reaped.
    private let ending = OneShot<(ChildProcess.Ending, at: Int64)>()
    private let output: OutputTail

    init(name: String, kubelua: String, arguments: [String], children: AdoptedChildren) throws {
        let environment = ProcessInfo.processInfo.environment.merging(["POD_NAME": name]) { $1 }
        let child = try ChildProcess(executable: kubelua, arguments: arguments, environment: environment)
        self.name = name
        pid = child.pid
        children.adopt(pid)
        output = OutputTail(FileHandle(fileDescriptor: child.stdout, closeOnDealloc: true), name: "kubelua-bench-\(name)-stdout")
        let lines = LineReader(FileHandle(fileDescriptor: child.stderr, closeOnDealloc: true), name: "kubelua-bench-\(name)-log")
        Task { [self] in
            while let (line, at) = await lines.nextStamped() {
                let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
                let text = record?["message"] as? String ?? line
                log.withLock { log in
                    if let call = HandledCall(message: text, at: at) { log.calls.append(call) } else { log.messages.append((at, text)) }
                }
            }
            closed.set(())
        }
        Thread { [self] in
            let status = child.wait()
            children.disown(pid)
            ending.set((ChildProcess.Ending(status: status), MonotonicClock.nanoseconds()))
        }.start()
    }

    /// Sends `signal` unless it has exited.
    func signal(_ signal: Int32) {
        if ending.current == nil { kill(pid, signal) }
    }

    var calls: [HandledCall] { log.withLock { $0.calls } }

    /// Waits until `condition` holds of what it logged (looking every 5 ms); fails after
    /// `timeout` seconds or if it exits first, saying what it waited for and quoting its last
    /// messages.
    @discardableResult
    func wait(_ what: String, within timeout: Double, until condition: (Log) -> Bool) async throws -> Log {
        let deadline = MonotonicClock.nanoseconds() + Int64(timeout * 1e9)
        while true {
            let snapshot = log.withLock { $0 }
            if condition(snapshot) { return snapshot }
            if let (ended, _) = ending.current {
                await closed.value()
                if condition(log.withLock { $0 }) { return log.withLock { $0 } }
                throw await failure(what, "it \(ended.signalled ? "was killed by signal" : "exited with status") \(ended.code)")
            }
            if MonotonicClock.nanoseconds() > deadline { throw await failure(what, "not within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until it has exited and every line it wrote is read; returns when it was reaped.
    func exited() async -> Int64 {
        let (_, at) = await ending.value()
        await closed.value()
        return at
    }

    private func failure(_ what: String, _ problem: String) async -> BenchFailure {
        let last = log.withLock { $0.messages.suffix(8).map(\.text) }
        let printed = ending.current == nil ? "" : await output.final()
        return BenchFailure("takeover: replica \(name), waiting for \(what): \(problem); its last messages: \(last)"
            + (printed.isEmpty ? "" : "; its output: \(printed)"))
    }
}
