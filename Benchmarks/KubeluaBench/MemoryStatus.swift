import Foundation

enum MemoryStatus {
    /// VmHWM from /proc/self/status: the process's peak resident set, in bytes (0 if unknown).
    static func peakResidentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}

enum ResourceVersionText {
    /// The JSON with its first `"resourceVersion":"from"` set to `to`.
    static func replace(in json: [UInt8], from: String, to: String) -> [UInt8] {
        let old = Array("\"resourceVersion\":\"\(from)\"".utf8)
        let new = Array("\"resourceVersion\":\"\(to)\"".utf8)
        guard let range = json.firstRange(of: old) else { return json }
        var copy = json
        copy.replaceSubrange(range, with: new)
        return copy
    }
}
