import Foundation

/// What this process has used so far: CPU time (all threads) and peak resident memory.
enum ProcessUsage {
    /// User plus system CPU seconds of every thread of this process (getrusage RUSAGE_SELF).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// VmHWM from /proc/self/status: the peak resident set, in bytes (0 if unknown).
    static func peakResidentBytes() -> Int { statusBytes("VmHWM:") }

    /// Starts VmHWM again from the resident set now (Linux: 5 written to /proc/self/clear_refs),
    /// so that a part's peak is its own.
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// VmRSS: the resident set now.
    static func residentBytes() -> Int { statusBytes("VmRSS:") }

    private static func statusBytes(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
