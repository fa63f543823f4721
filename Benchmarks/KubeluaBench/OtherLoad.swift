import Foundation

/// The CPU the rest of the machine used over an interval: every core's busy time (/proc/stat)
/// minus this process's, its reaped children's and the server child's. On a shared machine
/// this says whether a wall time or a latency tail was measured with someone else running.
struct OtherLoad {
    private let busy: Double
    private let own: Double

    static func start(_ server: ServerProcess) async throws -> OtherLoad {
        OtherLoad(busy: busySeconds(), own: try await ownSeconds(server))
    }

    /// CPU seconds used by other processes since `start`.
    func seconds(_ server: ServerProcess) async throws -> Double {
        let busyNow = Self.busySeconds(), ownNow = try await Self.ownSeconds(server)
        return max(0, (busyNow - busy) - (ownNow - own))
    }

    private static func ownSeconds(_ server: ServerProcess) async throws -> Double {
        var children = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        let reaped = Double(children.ru_utime.tv_sec + children.ru_stime.tv_sec)
            + Double(children.ru_utime.tv_usec + children.ru_stime.tv_usec) / 1e6
        return ProcessUsage.cpuSeconds() + reaped + (try await server.usage().cpuSeconds)
    }

    /// All cores' non-idle time so far: user, nice, system, irq, softirq, steal.
    private static func busySeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return 0 }
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
