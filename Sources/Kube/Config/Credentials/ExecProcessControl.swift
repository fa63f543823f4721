import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets the deadline and task cancellation kill the process while it runs, and only then:
/// once it has been reaped its pid may belong to someone else.
final class ExecProcessControl: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t?
    private var done = false
    private var cancelled = false
    private var expired = false

    func started(_ pid: pid_t) {
        lock.withLock {
            self.pid = pid
            if cancelled { Self.killTree(pid) }
        }
    }

    func cancel() {
        lock.withLock {
            cancelled = true
            if let pid, !done { Self.killTree(pid) }
        }
    }

    func expire() {
        lock.withLock {
            guard let pid, !done, !expired else { return }
            expired = true
            Self.killTree(pid)
        }
    }

    /// Marks the process gone; returns whether the deadline killed it.
    func finished() -> Bool {
        lock.withLock {
            done = true
            return expired
        }
    }

    /// The plugin's whole process group when it leads one (`ChildProcess` starts it in a group
    /// of its own): a shell script's children hold the output pipes open, and killing only the
    /// shell would leave us waiting for them.
    private static func killTree(_ pid: pid_t) {
        if getpgid(pid) == pid, pid != getpgrp() {
            kill(-pid, SIGKILL)
        } else {
            kill(pid, SIGKILL)
        }
    }
}
