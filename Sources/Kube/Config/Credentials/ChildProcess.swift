import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A credential plugin's process, started with `posix_spawn` rather than Foundation's `Process`:
/// on Linux, `Process.run` lists `/proc/self/fd` with a read past the end of a directory entry
/// and crashes now and then (swift-corelibs-foundation, fixed upstream in 2026-05, after the
/// toolchain we build with). The child leads its own process group (so a deadline can kill a
/// script's children too), reads /dev/null, writes to two pipes, starts with default signal
/// dispositions and no blocked signals, and inherits no other descriptor where glibc can close them.
struct ChildProcess {
    let pid: pid_t
    /// The read ends of the child's standard output and error (the caller closes them).
    let stdout: Int32
    let stderr: Int32

    /// How a reaped child ended: its exit code, or the signal that ended it.
    struct Ending {
        let code: Int32
        let signalled: Bool

        init(status: Int32) {
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

    init(executable: String, arguments: [String], environment: [String: String]) throws {
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
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return status
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time:
    /// the Glibc module does not export it.
    private static let closeFrom3: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
            unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }
    }()
}

extension POSIXError {
    /// The error `errno` names now.
    static var current: POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
