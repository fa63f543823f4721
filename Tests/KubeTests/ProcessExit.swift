import Glibc

/// Whether a process that is not our child has ended, waited for through a pidfd (readable
/// once the process has exited), so no test polls with sleeps.
enum ProcessExit {
    @_silgen_name("pidfd_open")
    private static func pidfdOpen(_ pid: pid_t, _ flags: UInt32) -> Int32

    /// True once `pid` has exited (or is gone already); false if it is still running after
    /// `timeoutSeconds`.
    static func hasExited(_ pid: pid_t, timeoutSeconds: Int32 = 10) -> Bool {
        let descriptor = pidfdOpen(pid, 0)
        guard descriptor >= 0 else { return errno == ESRCH }
        defer { close(descriptor) }
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&ready, 1, timeoutSeconds * 1000) == 1
    }
}
