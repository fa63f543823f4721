import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `kubelua` executable run as a child process, its standard output read line by
/// line as it comes, so a test can wait for a line instead of sleeping. Each pipe is read by
/// a thread of its own with blocking reads (FileHandle's readabilityHandler is not safe to
/// tear down on Linux).
final class KubeluaProcess: @unchecked Sendable {
    let process = Process()
    /// Lines of standard output so far.
    let lines = Recorder<String>()
    /// The exit status, once it has exited.
    private let exit = Recorder<Int32>()
    /// The output pipes that reached their end.
    private let closed = Recorder<String>()
    private let lock = NSLock()
    private var errors = Data()

    /// Where SwiftPM put the test bundle, and `kubelua` next to it.
    static var executable: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("kubelua")
        }
        #endif
        return Bundle.main.bundleURL.appendingPathComponent("kubelua")
    }

    /// Starts `kubelua arguments...` with only `environment` (HOME and PATH added).
    init(_ arguments: [String], environment: [String: String] = [:], home: String) throws {
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = ["HOME": home, "PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let output = Pipe(), errorOutput = Pipe()
        process.standardOutput = output
        process.standardError = errorOutput
        process.terminationHandler = { [exit] process in exit.append(process.terminationStatus) }
        try process.run()
        Self.readToEnd(output.fileHandleForReading, name: "stdout", closed: closed, receive: splitLines())
        Self.readToEnd(errorOutput.fileHandleForReading, name: "stderr", closed: closed) { [weak self] data in
            self?.lock.withLock { self?.errors.append(data) }
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Standard error so far.
    var standardError: String { lock.withLock { String(decoding: errors, as: UTF8.self) } }

    /// Waits until `count` lines have been printed in all; returns them.
    @discardableResult
    func waitForLines(_ count: Int) async -> [String] {
        await lines.wait(count: count)
    }

    /// Sends SIGTERM; returns the exit status.
    func terminate() async -> Int32? {
        process.terminate()
        return await waitForExit()
    }

    /// Waits for the exit status and for both outputs to be read to their end.
    func waitForExit() async -> Int32? {
        await closed.wait(count: 2)
        return await exit.wait(count: 1).first
    }

    /// Turns chunks of standard output into lines.
    private func splitLines() -> @Sendable (Data) -> Void {
        let lines = lines
        let partial = Locked(Data())
        return { data in
            let complete = partial.withLock { partial -> [String] in
                partial.append(data)
                var found: [String] = []
                while let newline = partial.firstIndex(of: 0x0A) {
                    found.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                    partial.removeSubrange(partial.startIndex...newline)
                }
                return found
            }
            complete.forEach(lines.append)
        }
    }

    /// Reads `handle` to its end on a thread of its own.
    private static func readToEnd(_ handle: FileHandle, name: String, closed: Recorder<String>, receive: @escaping @Sendable (Data) -> Void) {
        Thread {
            var buffer = [UInt8](repeating: 0, count: 16 << 10)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    receive(Data(buffer[..<count]))
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            closed.append(name)
        }.start()
    }
}

/// A value behind a lock, for the reading threads.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.withLock { body(&value) }
    }
}
