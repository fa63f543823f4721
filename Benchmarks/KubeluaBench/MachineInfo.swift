import Foundation

/// The machine the figures come from, as /proc describes it.
struct MachineInfo {
    var processors = ProcessInfo.processInfo.activeProcessorCount
    var cpu = ""
    var memoryBytes = Int(ProcessInfo.processInfo.physicalMemory)

    static var current: MachineInfo {
        var info = MachineInfo()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            info.cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return info
    }

    var json: [String: Any] { ["processors": processors, "cpu": cpu, "memory_bytes": memoryBytes] }
}
