import Lua

/// The `metrics` primitives of one hook's Lua state: the metrics it declared (by id) and the
/// series it updated, so an update after the first costs a table lookup, not a registry lock.
final class HookMetricsScope {
    let metrics: HookMetrics
    let hook: String
    /// The shard this copy of the hook runs for (`--shards`): its series carry it as a label,
    /// so copies of one hook never set each other's gauges.
    let shard: Int?
    let sink: HookLogSink
    private var declared: [HookMetrics.Family] = []
    private var series: [Int: [[String]: HookMetrics.Series]] = [:]
    /// Metrics whose drop at the series limit was logged (once per metric per state).
    private var reportedDrops: Set<String> = []

    init(metrics: HookMetrics, hook: String, shard: Int?, sink: @escaping HookLogSink) {
        self.metrics = metrics
        self.hook = hook
        self.shard = shard
        self.sink = sink
    }

    /// `declare(kind, name, labels, buckets)`: the metric's id, or false and a message.
    func declare(_ arguments: LuaArguments) -> Int32 {
        do {
            let kind = HookMetrics.Kind(rawValue: try arguments.string(at: 1)) ?? .counter
            guard arguments.type(at: 2) == .string else {
                return fail("bad argument #1 to 'metrics.\(kind.rawValue)' (a metric name expected)", arguments)
            }
            let name = try arguments.string(at: 2)
            let labels = try strings(arguments, at: 3, what: "#2 'labels' to 'metrics.\(kind.rawValue)'")
            let buckets = kind == .histogram ? try numbers(arguments, at: 4, what: "#3 'buckets' to 'metrics.histogram'") : []
            let family = HookMetrics.Family(kind: kind, name: name, labels: labels, buckets: buckets)
            if shard != nil, labels.contains("shard") {
                let message = "metrics.\(kind.rawValue) '\(name)': the label 'shard' is kubelua's with --shards (it names the shard); choose another name"
                return fail(message, arguments)
            }
            try metrics.declare(family, hook: hook)
            declared.append(family)
            arguments.push(.integer(Int64(declared.count - 1)))
            return 1
        } catch {
            return fail("\(error)", arguments)
        }
    }

    /// `record(id, method, values, amount)`: true, or false and a message.
    func record(_ arguments: LuaArguments) -> Int32 {
        do {
            let id = Int(try arguments.integer(at: 1)), method = try arguments.string(at: 2)
            guard declared.indices.contains(id) else { return fail("metrics: unknown metric", arguments) }
            let family = declared[id]
            let values = try labelValues(arguments, family: family, method: method)
            let amount = try arguments.optionalNumber(at: 4)
            if let amount, !amount.isFinite {
                return fail("metrics '\(family.name)': \(method) needs a finite number, got \(amount)", arguments)
            }
            if method == "set" || method == "observe", amount == nil {
                return fail("metrics '\(family.name)': \(method) needs a number (m:\(method)(labels, value))", arguments)
            }
            if family.kind == .counter, let amount, amount < 0 {
                return fail("metrics '\(family.name)': a counter only goes up (inc by \(amount))", arguments)
            }
            update(family, id: id, values: values, method: method, amount: amount ?? 1)
            arguments.push(.boolean(true))
            return 1
        } catch {
            return fail("\(error)", arguments)
        }
    }

    private func update(_ family: HookMetrics.Family, id: Int, values: [String], method: String, amount: Double) {
        let target: HookMetrics.Series
        if let known = series[id]?[values] {
            target = known
        } else if let created = metrics.series(family, hook: hook, shard: shard, values: values) {
            series[id, default: [:]][values] = created
            target = created
        } else {
            reportDrop(family)
            return
        }
        switch (target, method) {
        case (.counter(let counter), _): counter.increment(by: amount)
        case (.gauge(let gauge), "set"): gauge.set(amount)
        case (.gauge(let gauge), "dec"): gauge.decrement(by: amount)
        case (.gauge(let gauge), _): gauge.increment(by: amount)
        case (.histogram(let histogram), _): histogram.record(amount)
        }
    }

    private func reportDrop(_ family: HookMetrics.Family) {
        guard reportedDrops.insert(family.name).inserted else { return }
        sink(HookLogRecord(
            level: .warning,
            message: "metrics '\(family.name)': this hook reached its limit of \(metrics.seriesLimit) series; updates of new series are dropped (counted in kubelua_metric_series_dropped_total)",
            fields: [], context: nil, hook: hook))
    }

    /// The label values of an update, in declared order: a list `{ns, reason}` or a table
    /// `{namespace = ns, reason = reason}`; strings, numbers or booleans.
    private func labelValues(_ arguments: LuaArguments, family: HookMetrics.Family, method: String) throws -> [String] {
        let expected = "\(family.labels.count) label value(s) (\(family.labels.joined(separator: ", ")))"
        guard !arguments.isNil(at: 3) else {
            if family.labels.isEmpty { return [] }
            throw HookMetricError(description: "metrics '\(family.name)': \(method) needs \(expected)")
        }
        guard case .table(let entries) = try arguments.value(at: 3) else {
            throw HookMetricError(description: "metrics '\(family.name)': \(method) takes its label values as a table")
        }
        let positional = entries[.integer(1)] != nil
        var values: [String] = []
        for (index, label) in family.labels.enumerated() {
            guard let value = positional ? entries[.integer(Int64(index + 1))] : entries[.string(label)], let text = Self.text(value) else {
                throw HookMetricError(description: "metrics '\(family.name)': \(method) needs \(expected); '\(label)' is missing or not a string")
            }
            values.append(text)
        }
        guard entries.count == family.labels.count else {
            throw HookMetricError(description: "metrics '\(family.name)': \(method) needs \(expected), got \(entries.count)")
        }
        return values
    }

    private static func text(_ value: LuaValue) -> String? {
        switch value {
        case .string: value.text
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .boolean(let flag): String(flag)
        default: nil
        }
    }

    private func strings(_ arguments: LuaArguments, at position: Int32, what: String) throws -> [String] {
        try list(arguments, at: position, what: what, of: "strings") { value in
            if case .string = value { value.text } else { nil }
        }
    }

    private func numbers(_ arguments: LuaArguments, at position: Int32, what: String) throws -> [Double] {
        try list(arguments, at: position, what: what, of: "numbers") { value in
            switch value {
            case .integer(let number): Double(number)
            case .number(let number): number
            default: nil
            }
        }
    }

    /// A Lua list (`{a, b}`) of one type; nil is an empty list.
    private func list<T>(_ arguments: LuaArguments, at position: Int32, what: String, of type: String, _ convert: (LuaValue) -> T?) throws -> [T] {
        if arguments.isNil(at: position) { return [] }
        guard case .table(let entries) = try arguments.value(at: position) else {
            throw HookMetricError(description: "bad argument \(what) (a list of \(type) expected)")
        }
        var items: [T] = []
        guard !entries.isEmpty else { return items }
        for index in 1...entries.count {
            guard let value = entries[.integer(Int64(index))], let item = convert(value) else {
                throw HookMetricError(description: "bad argument \(what) (a list of \(type) expected)")
            }
            items.append(item)
        }
        return items
    }

    private func fail(_ message: String, _ arguments: LuaArguments) -> Int32 {
        arguments.push(.boolean(false))
        arguments.push(message)
        return 2
    }
}
