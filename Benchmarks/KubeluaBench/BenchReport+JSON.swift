import Foundation

/// The same figures as JSON, for tooling: every figure, and each goal with its verdict.
extension BenchReport {
    func write(to path: String) throws {
        let f = figures
        var json: [String: Any] = [
            "date": ISO8601DateFormatter().string(from: Date()),
            "machine": MachineInfo.current.json,
            "pods": f.pods, "pod_json_bytes": f.podJSONBytes,
            "options": [
                "pods": options.pods, "events": options.events, "memory_hooks": options.memoryHooks,
                "latency_rate": options.latencyRate, "latency_events": options.latencyEvents, "reloads": options.reloads,
                "reload_rate": options.reloadRate, "scaling_hooks": options.hookCounts, "scaling_calls": options.scalingCalls,
                "python_events": options.pythonEvents, "unpaced_events": options.unpacedEvents,
                "takeover_rounds": options.takeoverRounds, "takeover_pods": options.takeoverPods, "takeover_rate": options.takeoverRate, "skip": options.skip.map(\.rawValue),
            ] as [String: Any],
            "goals": GoalCheck.all(f).map { ["goal": $0.goal, "value": $0.value, "met": $0.met as Any? ?? NSNull()] },
        ]
        func memoryJSON(_ memory: MemoryPhase.Figures) -> [String: Any] {
            [
                "hooks": memory.hooks, "events": memory.stream.events, "sync_seconds": memory.sync.seconds,
                "strip_managed_fields": memory.stripsManagedFields, "reads": memory.reads as Any? ?? NSNull(),
                "rest_rss_bytes": memory.restResidentBytes,
                "sync_and_initial_adds_seconds": memory.sync.handledSeconds, "peak_rss_bytes": memory.peakResidentBytes,
                "baseline_rss_bytes": memory.baselineResidentBytes,
                "served_json_bytes": memory.podJSONBytes, "rss_goal_bytes": Int(GoalCheck.memoryLimit(memory.podJSONBytes)),
                "cached_pods": memory.cache.pods, "cached_json_bytes": memory.cache.jsonBytes, "cached_block_bytes": memory.cache.blockBytes,
                "container_index_pairs": memory.cache.indexPairs, "container_index_bytes": memory.cache.indexBytes,
            ]
        }
        if let memory = f.memory { json["memory"] = memoryJSON(memory) }
        if let stripped = f.memoryStripped { json["memory_strip_managed_fields"] = memoryJSON(stripped) }
        if let declared = f.memoryDeclared { json["memory_declared_reads"] = memoryJSON(declared) }
        if let unpaced = f.unpaced {
            json["unpaced"] = unpaced.map { run -> [String: Any] in
                ["hooks": run.hooks, "max_backlog": run.backlog as Any? ?? NSNull(), "debounce": run.debounce as Any? ?? NSNull(),
                 "events": run.stream.events, "calls": run.stream.calls, "merged": run.stream.merged,
                 "wall_seconds": run.stream.wallSeconds, "cpu_seconds": run.stream.cpuSeconds, "events_per_second": run.eventsPerSecond,
                 "peak_rss_bytes": run.peakResidentBytes, "baseline_rss_bytes": run.baselineResidentBytes, "rest_rss_bytes": run.restResidentBytes,
                 "rss_goal_bytes": Int(GoalCheck.memoryLimit(run.podJSONBytes)), "largest_backlog": run.largestBacklog,
                 "server_cpu_seconds": run.serverCPUSeconds, "other_processes_cpu_seconds": run.otherCPUSeconds,
                 "sync_seconds": run.sync.seconds]
            }
        }
        if let throughput = f.throughput {
            let stream = throughput.stream
            json["throughput"] = [
                "events": stream.events, "wall_seconds": stream.wallSeconds, "cpu_seconds": stream.cpuSeconds,
                "events_per_second": f.kubeluaRate ?? 0, "events_per_cpu_second": f.kubeluaCPURate ?? 0,
                "server_cpu_seconds": throughput.serverCPUSeconds, "other_processes_cpu_seconds": throughput.otherCPUSeconds,
                "peak_rss_after_sync_bytes": throughput.peakAfterSync, "peak_rss_after_stream_bytes": throughput.peakAfterStream,
                "calls": stream.calls, "failed_calls": stream.failedCalls,
                "sync_seconds": throughput.sync.seconds, "sync_and_initial_adds_seconds": throughput.sync.handledSeconds,
            ] as [String: Any]
        }
        switch f.reference {
        case .measured(let r)?:
            let rate = f.kubeluaRate ?? 0, cpuRate = f.kubeluaCPURate ?? 0
            json["reference"] = [
                "name": "lua5.4 + lua-cjson \(r.cjson)", "events": r.events, "bytes": r.bytes,
                "literal_events_per_cpu_second": r.literalRate, "cached_events_per_cpu_second": r.cachedRate,
                "ratio_wall_vs_literal": rate / r.literalRate, "ratio_wall_vs_cached": rate / r.cachedRate,
                "ratio_cpu_vs_literal": cpuRate / r.literalRate, "ratio_cpu_vs_cached": cpuRate / r.cachedRate,
                "headline_ratio": rate / r.fasterRate,
            ] as [String: Any]
        case .unavailable(let why)?: json["reference"] = ["missing": why]
        case nil: break
        }
        switch f.python {
        case .measured(let p)?:
            json["python_peer"] = ["kubernetes": p.version, "events": p.events, "wall_seconds": p.seconds, "cpu_seconds": p.cpuSeconds,
                                   "events_per_second": p.rate, "events_per_cpu_second": p.cpuRate] as [String: Any]
        case .unavailable(let why)?: json["python_peer"] = ["missing": why]
        case nil: break
        }
        if let latency = f.latency {
            json["latency"] = [
                "rate": latency.rate, "sent_rate": latency.sentRate, "events": latency.latency.count,
                "p50_ms": latency.latency.p50, "p99_ms": latency.latency.p99, "max_ms": latency.latency.max,
                "server_stamp_to_publish_median_ms": latency.stampToPublishMedian, "server_stamp_to_publish_max_ms": latency.stampToPublishMax,
                "other_processes_cpu_seconds": latency.otherCPUSeconds, "seconds": latency.seconds,
            ] as [String: Any]
        }
        if let reload = f.reload {
            json["reload"] = ["rate": reload.rate, "milliseconds": reload.milliseconds, "median_ms": reload.median, "max_ms": reload.max] as [String: Any]
        }
        if let scaling = f.scaling, let base = scaling.first {
            json["scaling"] = scaling.map { point -> [String: Any] in
                ["hooks": point.hooks, "events": point.stream.events, "wall_seconds": point.stream.wallSeconds,
                 "cpu_seconds": point.stream.cpuSeconds, "events_per_second": point.eventsPerSecond,
                 "calls_per_second": point.callsPerSecond, "calls_per_second_vs_first": point.callsPerSecond / base.callsPerSecond]
            }
        }
        switch f.takeover {
        case .measured(let takeover)?:
            json["takeover"] = [
                "lease_duration_seconds": takeover.timings.leaseDuration, "renew_deadline_seconds": takeover.timings.renewDeadline,
                "retry_period_seconds": takeover.timings.retryPeriod, "pods": takeover.pods, "events_per_second": takeover.rate,
                "lost": takeover.lost,
                "failovers": takeover.failovers.map { failover -> [String: Any] in
                    let tally = failover.tally
                    return ["signal": TakeoverPhase.signalName(failover.signal), "leads_seconds": failover.leadsSeconds,
                            "first_event_seconds": failover.firstEventSeconds, "old_leader_exit_seconds": failover.exitSeconds,
                            "sent": tally.sent, "duplicates": tally.duplicates, "duplicates_initial": tally.duplicatesInitial,
                            "duplicates_replayed": tally.duplicatesReplayed, "duplicates_unmarked": tally.unmarkedDuplicates,
                            "replayed": tally.replayed, "superseded": tally.superseded, "lost": tally.lost]
                },
            ] as [String: Any]
        case .unavailable(let why)?: json["takeover"] = ["missing": why]
        case nil: break
        }
        if let server = f.serverUsage {
            json["server_child"] = ["cpu_seconds": server.cpuSeconds, "peak_rss_bytes": server.peakResidentBytes]
        }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: url)
    }
}
