/// Percentiles of a set of durations (nearest rank), in milliseconds.
struct LatencySummary {
    var count = 0
    var p50 = 0.0
    var p99 = 0.0
    var max = 0.0

    init() {}

    init(nanoseconds samples: [Int64]) {
        let sorted = samples.sorted()
        count = sorted.count
        guard !sorted.isEmpty else { return }
        func rank(_ fraction: Double) -> Double {
            let index = Swift.max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)
            return Double(sorted[Swift.min(index, sorted.count - 1)]) / 1e6
        }
        p50 = rank(0.50)
        p99 = rank(0.99)
        max = Double(sorted[sorted.count - 1]) / 1e6
    }
}
