import Foundation

/// How figures read in the table.
enum Format {
    static func count(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    static func rate(_ value: Double) -> String { count(Int(value.rounded())) }
    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }
    static func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }
    static func milliseconds(_ value: Double) -> String { String(format: value < 10 ? "%.2f ms" : "%.0f ms", value) }
    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

    /// The median and the range of several measurements: `m (min–max)`.
    static func spread(_ values: [Double], _ format: (Double) -> String) -> String {
        let sorted = values.sorted()
        guard let low = sorted.first, let high = sorted.last else { return "none" }
        return "\(format(sorted[(sorted.count - 1) / 2])) (\(format(low))–\(format(high)))"
    }
}
