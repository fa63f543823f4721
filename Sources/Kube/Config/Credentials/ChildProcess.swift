import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process (a credential plugin's), started with `posix_spawn` rather than
/// Foundation's `Process`: on Linux, `Process.run` lists `/proc/self/fd` reading past the end
/// of a directory entry, and crashes when a process has a thousand or more descriptors open
/// (swift-corelibs-foundation, fixed upstream in 2026-05, after the toolchain we build with). The child leads its own process group (so a deadline can kill a
/// script's children too), reads /dev/null, writes to two pipes, starts with default signal
/// dispositions and no blocked signals, and inherits no other descriptor where glibc can close them.
public struct ChildProcess: Sendable {
    public let pid: pid_t
    /// The read ends of the child's standard output and error (the caller closes them).
    public let stdout: Int32
    public let stderr: Int32

    /// How a reaped child ended: its exit code, or the signal that ended it.
    public struct Ending: Sendable {
        public let code: Int32
        public let signalled: Bool

        public init(status: Int32) {
            // The wait status layout (WIFEXITED, WEXITSTATUS, WTERMSIG), which Swift does not import as macros.
            if status & 0x7F == 0 {
                code = (status >> 8) & 0xFF
                signalled = false
            } else {
                code = status & 0x7F
                signalled = true
            }
        }
    }

    /// Starts `executable` (a path) with `arguments`, exactly `environment`, and the working
    /// directory `directory` (nil: this process's).
    public init(executable: String, arguments: [String], environment: [String: String], directory: String? = nil) throws {
        let output = try Self.makePipe()
        let errors: [Int32]
        do { errors = try Self.makePipe() } catch {
            close(output[0])
            close(output[1])
            throw error
        }
        defer {
            // The child has its own copies of the write ends.
            close(output[1])
            close(errors[1])
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        Self.closeFrom3?(&actions, 3)
        if let directory {
            guard let changeDirectory = Self.changeDirectory else {
                close(output[0])
                close(errors[0])
                throw POSIXError(.ENOSYS)
            }
            _ = changeDirectory(&actions, directory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), everySignal = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(output[0])
            close(errors[0])
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
        }
        self.pid = pid
        stdout = output[0]
        stderr = errors[0]
    }

    /// A pipe whose ends close on exec (the child gets its own copies through `dup2`). The
    /// Glibc module does not export `pipe2`.
    private static func makePipe() throws -> [Int32] {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError.current }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return ends
    }

    /// Blocks until the child ends; returns its wait status.
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return status
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later) and
    /// `posix_spawn_file_actions_addchdir_np` (2.29), looked up at run time: the Glibc module
    /// does not export them.
    private static let closeFrom3 = glibcFunction(
        "posix_spawn_file_actions_addclosefrom_np", as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    private static let changeDirectory = glibcFunction(
        "posix_spawn_file_actions_addchdir_np",
        as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)

    private static func glibcFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
}

extension POSIXError {
    /// The error `errno` names now.
    static var current: POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
