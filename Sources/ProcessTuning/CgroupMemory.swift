import Foundation

/// The memory limit of the cgroup the process runs in (a container's `resources.limits.memory`),
/// read from cgroup v2's `memory.max` or v1's `memory.limit_in_bytes`; nil when none is set.
public enum CgroupMemory {
    /// cgroup v1 writes "no limit" as a huge number (the page-rounded maximum): anything from
    /// 2^60 bytes up is taken as none.
    static let unlimited = 1 << 60

    public static func limit(root: String = "/sys/fs/cgroup") -> Int? {
        for file in [root + "/memory.max", root + "/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            // v2 says "max" when there is no limit.
            guard let bytes = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes > 0, bytes < unlimited else { return nil }
            return bytes
        }
        return nil
    }
}
