import Glibc

/// CLOCK_MONOTONIC in nanoseconds. Every process on the machine reads the same clock, so a time
/// the fake server (a child process) stamps into an event can be compared with the time a hook
/// in this process sees it.
enum MonotonicClock {
    static func nanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Sleeps until the clock reads `deadline` (at once if it is past): pacing by an absolute
    /// schedule, so late wake-ups do not add up.
    static func sleep(until deadline: Int64) {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) == EINTR {}
    }
}
