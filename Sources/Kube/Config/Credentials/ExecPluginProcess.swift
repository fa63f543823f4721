import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a credential plugin to completion. Waiting on a process blocks, so each run gets its
/// own thread and the caller awaits a continuation: Swift's cooperative pool stays free, and so
/// does Dispatch's global pool, which on Linux grows only slowly when its threads block.
enum ExecPluginProcess {
    struct Output: Sendable {
        var exitStatus: Int32
        /// Set when a signal ended the process (the status is then the signal number).
        var signalled: Bool
        var timedOut: Bool
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// Throws only when the process cannot be started; a failing plugin is an `Output`.
    static func run(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration
    ) async throws -> Output {
        let control = ExecProcessControl()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Result {
                        try runBlocking(executable, arguments, environment, timeout, control)
                    })
                }.start()
            }
        } onCancel: {
            control.cancel()
        }
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], _ environment: [String: String],
        _ timeout: Duration, _ control: ExecProcessControl
    ) throws -> Output {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment)
        control.started(child.pid)
        // Reaped on a thread of its own, so the deadline below can stop waiting for it.
        let exited = DispatchSemaphore(value: 0)
        let status = Mutex<Int32>(0)
        Thread {
            status.withLock { $0 = child.wait() }
            exited.signal()
        }.start()

        let deadline = ContinuousClock.now + timeout
        let (output, errors) = drain(child.stdout, child.stderr, deadline: deadline, control: control)
        close(child.stdout)
        close(child.stderr)
        // Output closed; the plugin normally exits at once, but one that lingers still meets the deadline.
        let remaining = max(.zero, deadline - ContinuousClock.now)
        if exited.wait(timeout: .now() + remaining.timeInterval) == .timedOut {
            control.expire()
            exited.wait()
        }
        let timedOut = control.finished()
        let ended = ChildProcess.Ending(status: status.withLock { $0 })
        return Output(exitStatus: ended.code, signalled: ended.signalled, timedOut: timedOut, stdout: output, stderr: errors)
    }
}
