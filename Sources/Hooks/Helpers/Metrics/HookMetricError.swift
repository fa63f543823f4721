/// A mistake in a `metrics` declaration or update; the message names the metric.
struct HookMetricError: Error, CustomStringConvertible {
    let description: String

    static func redeclared(_ family: HookMetrics.Family, existing: HookMetrics.Family, by hook: String) -> HookMetricError {
        HookMetricError(description: """
            metrics.\(family.kind.rawValue): '\(family.name)' is already declared \(existing.summary) by \(hook); \
            it cannot be redeclared \(family.summary) (restart kubelua to change a metric)
            """)
    }
}

extension HookMetrics.Family {
    /// `as a counter with labels (namespace, reason)`, and the buckets of a histogram.
    var summary: String {
        let labelText = labels.isEmpty ? "without labels" : "with labels (\(labels.joined(separator: ", ")))"
        let bucketText = kind == .histogram ? " and buckets (\(buckets.map { "\($0)" }.joined(separator: ", ")))" : ""
        return "as a \(kind.rawValue) \(labelText)\(bucketText)"
    }

    /// Names as Prometheus allows them (letters, digits, `_`; not starting with a digit); the
    /// `hook` label is kubelua's own; buckets strictly increasing.
    func validate() throws(HookMetricError) {
        let what = "metrics.\(kind.rawValue)"
        guard Self.isName(name) else {
            throw HookMetricError(description: "\(what): '\(name)' is not a metric name (letters, digits and _, not starting with a digit)")
        }
        for label in labels {
            guard Self.isName(label), !label.hasPrefix("__") else {
                throw HookMetricError(description: "\(what) '\(name)': '\(label)' is not a label name (letters, digits and _, not starting with a digit or __)")
            }
            guard label != "hook" else {
                throw HookMetricError(description: "\(what) '\(name)': the label 'hook' is kubelua's (it names the hook); choose another name")
            }
        }
        guard Set(labels).count == labels.count else {
            throw HookMetricError(description: "\(what) '\(name)': a label name is repeated in (\(labels.joined(separator: ", ")))")
        }
        if kind == .histogram {
            guard !buckets.isEmpty, buckets.allSatisfy(\.isFinite), zip(buckets, buckets.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw HookMetricError(description: "\(what) '\(name)': buckets must be finite numbers in increasing order, at least one")
            }
        }
    }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
