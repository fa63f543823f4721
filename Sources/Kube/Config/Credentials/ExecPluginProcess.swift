import Dispatch
import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        // Plugins run non-interactively: no terminal to prompt on.
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        control.started(process.processIdentifier)

        let deadline = ContinuousClock.now + timeout
        let (output, errors) = drain(stdout.fileHandleForReading.fileDescriptor,
                                     stderr.fileHandleForReading.fileDescriptor,
                                     deadline: deadline, control: control)
        // Output closed; the plugin normally exits at once, but one that lingers still meets the deadline.
        let remaining = max(.zero, deadline - ContinuousClock.now)
        if exited.wait(timeout: .now() + remaining.timeInterval) == .timedOut {
            control.expire()
            exited.wait()
        }
        let timedOut = control.finished()
        return Output(
            exitStatus: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stdout: output, stderr: errors)
    }
}
