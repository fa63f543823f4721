import Foundation

enum StageReport {
    static func write(_ results: [(String, Double)], events: Int, to path: String) throws {
        let stages = results.map { ["stage": $0.0, "microseconds_per_event": ($0.1 * 100).rounded() / 100] as [String: Any] }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let json: [String: Any] = ["events": events, "stages": stages]
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: url)
    }
}
