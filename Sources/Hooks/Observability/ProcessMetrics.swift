import Foundation
import Prometheus
import Synchronization

/// The process metrics Prometheus clients conventionally export (`process_*`), read from
/// `/proc/self` when scraped. Elsewhere than Linux they are left out.
final class ProcessMetrics: Sendable {
    private let lock = Mutex(())
    private let start = Date().timeIntervalSince1970 - ProcessInfo.processInfo.systemUptime
        + ProcessMetrics.startAfterBoot()

    func update(_ registry: PrometheusCollectorRegistry) {
        #if os(Linux)
        lock.withLock { _ in
            if let rss = Self.residentBytes() {
                registry.makeGauge(descriptor: Self.resident).set(Double(rss))
            }
            if let cpu = Self.cpuSeconds() {
                let counter = registry.makeCounter(descriptor: Self.cpu)
                counter.reset()
                counter.increment(by: cpu)
            }
            if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
                registry.makeGauge(descriptor: Self.openFiles).set(Double(fds.count))
            }
            registry.makeGauge(descriptor: Self.startTime).set(start)
        }
        #endif
    }

    private static var resident: MetricNameDescriptor { describe("resident_memory", "bytes", "Resident memory of the process.") }
    private static var cpu: MetricNameDescriptor { describe("cpu_seconds", "total", "User and system CPU time of the process.") }
    private static var openFiles: MetricNameDescriptor { describe("open", "fds", "Open file descriptors of the process.") }
    private static var startTime: MetricNameDescriptor { describe("start_time", "seconds", "When the process started (Unix time).") }

    private static func describe(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "process", metricName: name, unitName: unit, helpText: help)
    }

    /// Fields of `/proc/self/stat` after the command name (which may hold spaces): field 3 is index 0.
    private static func statFields() -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let end = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: end)...].split(separator: " ")
    }

    private static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }

    private static func cpuSeconds() -> Double? {
        guard let fields = statFields(), fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }

    /// Seconds after boot the process started (`starttime`, field 22).
    private static func startAfterBoot() -> Double {
        #if os(Linux)
        guard let fields = statFields(), fields.count > 19, let ticks = Double(fields[19]) else { return 0 }
        return ticks / ticksPerSecond
        #else
        return 0
        #endif
    }

    private static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
