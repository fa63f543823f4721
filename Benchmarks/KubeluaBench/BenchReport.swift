import Foundation

/// The run's figures as one table on standard output (the JSON is in BenchReport+JSON).
struct BenchReport {
    let figures: BenchFigures
    let options: BenchOptions

    func printTable() {
        let f = figures
        var lines: [String] = []
        func section(_ title: String) { lines.append(title) }
        func row(_ label: String, _ value: String) {
            let padded = label.count < 40 ? label.padding(toLength: 40, withPad: " ", startingAt: 0) : label + "  "
            lines.append("  " + padded + value)
        }

        section("kubelua-bench: \(Format.count(f.pods)) pods, \(Format.megabytes(f.podJSONBytes)) of JSON; fake API server in a child process")
        if let memory = f.memory {
            section("memory (\(memory.hooks) hooks, each pod then updated once; the run's first pipeline)")
            row("sync with \(memory.hooks) hooks (first list applied)", Format.seconds(memory.sync.seconds))
            row("sync + initial adds handled", Format.seconds(memory.sync.handledSeconds))
            row("peak RSS (VmHWM)", "\(Format.megabytes(memory.peakResidentBytes)) for \(Format.megabytes(memory.podJSONBytes)) of cached JSON")
            row("RSS at rest after the updates", Format.megabytes(memory.restResidentBytes))
            row("RSS before the pipeline started", Format.megabytes(memory.baselineResidentBytes))
            row("container index kept per pod", Self.index(memory.cache))
            if let stripped = f.memoryStripped {
                row("peak − RSS before", Format.megabytes(memory.peakResidentBytes - memory.baselineResidentBytes))
                row("with --strip-managed-fields: peak RSS", "\(Format.megabytes(stripped.peakResidentBytes)) for \(Format.megabytes(stripped.cache.jsonBytes)) of cached JSON "
                    + "(RSS \(Format.megabytes(stripped.baselineResidentBytes)) before; sync \(Format.seconds(stripped.sync.seconds)))")
                row("  peak − RSS before", Format.megabytes(stripped.peakResidentBytes - stripped.baselineResidentBytes))
                row("  its container index per pod", Self.index(stripped.cache))
            }
            if let declared = f.memoryDeclared {
                let json = Double(declared.podJSONBytes)
                row("hooks declaring reads: peak / at rest", "\(Format.megabytes(declared.peakResidentBytes)) / \(Format.megabytes(declared.restResidentBytes)) "
                    + String(format: "(%.2f / %.2f × the pods' JSON; ", Double(declared.peakResidentBytes) / json, Double(declared.restResidentBytes) / json)
                    + String(format: "%.2f / %.2f × the undeclared run)", Double(declared.peakResidentBytes) / Double(memory.peakResidentBytes),
                             Double(declared.restResidentBytes) / Double(memory.restResidentBytes)))
                row("  cached JSON", "\(Format.megabytes(declared.cache.jsonBytes)) (RSS \(Format.megabytes(declared.baselineResidentBytes)) before; sync \(Format.seconds(declared.sync.seconds)))")
                let grown = declared.peakResidentBytes - declared.baselineResidentBytes
                row("  peak − RSS before", Format.megabytes(grown)
                    + String(format: " (%.2f × the undeclared run's)", Double(grown) / Double(memory.peakResidentBytes - memory.baselineResidentBytes)))
                row("  its container index per pod", Self.index(declared.cache))
            }
        }
        if let throughput = f.throughput, let rate = f.kubeluaRate, let cpuRate = f.kubeluaCPURate {
            let stream = throughput.stream
            section("throughput (1 hook, \(Format.count(stream.events)) MODIFIED events)")
            row("initial sync (first list applied)", Format.seconds(throughput.sync.seconds))
            row("sync + initial adds handled", Format.seconds(throughput.sync.handledSeconds))
            row("kubelua, wall", "\(Format.rate(rate)) events/s (\(Format.seconds(stream.wallSeconds)))")
            row("kubelua, CPU of its process", "\(Format.rate(cpuRate)) events per CPU-second (\(Format.seconds(stream.cpuSeconds)))")
            row("server child's CPU meanwhile", Format.seconds(throughput.serverCPUSeconds))
            row("other processes' CPU meanwhile", Self.otherLoad(throughput.otherCPUSeconds, over: stream.wallSeconds))
            row("peak RSS after sync / after stream", "\(Format.megabytes(throughput.peakAfterSync)) / \(Format.megabytes(throughput.peakAfterStream))")
            switch f.reference {
            case .measured(let reference)?:
                for (name, refRate) in [("literal: on_update(nil, new)", reference.literalRate), ("cached: on_update(old, new)", reference.cachedRate)] {
                    row("lua5.4 + cjson \(reference.cjson), \(name)",
                        "\(Format.rate(refRate)) events/s (CPU); kubelua \(Format.ratio(rate / refRate)) wall, \(Format.ratio(cpuRate / refRate)) per CPU-s")
                }
            case .unavailable(let why)?: row("lua5.4 + cjson reference", "not measured: \(why)")
            case nil: break
            }
        }
        switch f.python {
        case .measured(let python)?:
            row("Python kubernetes \(python.version) Watch, V1Pod",
                "\(Format.rate(python.rate)) events/s wall, \(Format.rate(python.cpuRate)) per CPU-s (\(Format.count(python.events)) events)")
        case .unavailable(let why)?: row("Python kubernetes Watch", why)
        case nil: break
        }
        if let latency = f.latency {
            section("latency (\(Format.count(latency.rate)) events/s asked, \(Format.rate(latency.sentRate)) sent, \(Format.count(latency.latency.count)) events)")
            row("server write → hook entered: p50", Format.milliseconds(latency.latency.p50))
            row("p99", Format.milliseconds(latency.latency.p99))
            row("max", Format.milliseconds(latency.latency.max))
            row("of which server, stamp to published", "\(Format.milliseconds(latency.stampToPublishMedian)) median, \(Format.milliseconds(latency.stampToPublishMax)) max")
            row("other processes' CPU meanwhile", Self.otherLoad(latency.otherCPUSeconds, over: latency.seconds))
        }
        if let reload = f.reload {
            section("reload (HookDaemon + HookFolderMonitor, \(reload.rate) events/s flowing)")
            row("file written → new version's first call", "\(Format.milliseconds(reload.median)) median, \(Format.milliseconds(reload.max)) max (\(reload.milliseconds.count) reloads)")
        }
        if let scaling = f.scaling, let base = scaling.first {
            section("scaling (\(Format.count(options.scalingCalls)) handler calls per hook count, all hooks in _all)")
            for point in scaling {
                row("\(point.hooks) hook\(point.hooks == 1 ? "" : "s"), \(Format.count(point.stream.events)) events",
                    "\(Format.rate(point.eventsPerSecond)) events/s, \(Format.rate(point.callsPerSecond)) calls/s, "
                        + "\(Format.ratio(point.callsPerSecond / base.callsPerSecond)) the calls/s of \(base.hooks) hook\(base.hooks == 1 ? "" : "s")")
            }
        }
        for run in f.unpaced ?? [] {
            section("unpaced (\(run.hooks) hooks, \(Format.count(run.stream.events)) events sent as fast as the server can, "
                + (run.backlog.map { "--max-backlog \(Format.count($0))" } ?? "no backlog bound")
                + (run.debounce.map { ", debounce \($0)" } ?? "") + ")")
            row("kubelua, wall", "\(Format.rate(run.eventsPerSecond)) events/s (\(Format.seconds(run.stream.wallSeconds)), \(Format.seconds(run.stream.cpuSeconds)) CPU)")
            row("peak RSS (VmHWM, sync included)", "\(Format.megabytes(run.peakResidentBytes)) (RSS \(Format.megabytes(run.baselineResidentBytes)) before, "
                + "+\(Format.megabytes(run.peakResidentBytes - run.baselineResidentBytes)); goal \(Format.megabytes(Int(GoalCheck.memoryLimit(run.podJSONBytes)))))")
            row("RSS at rest after the stream", "\(Format.megabytes(run.restResidentBytes)) (+\(Format.megabytes(run.restResidentBytes - run.baselineResidentBytes)), "
                + "\(Format.count((run.restResidentBytes - run.baselineResidentBytes) / max(1, f.pods))) bytes per pod; goal \(Format.megabytes(Int(GoalCheck.restLimit(run.podJSONBytes)))))")
            row("largest backlog seen (events handed to hooks)", Format.count(run.largestBacklog))
            if run.debounce != nil {
                row("handler calls, events merged by debounce", "\(Format.count(run.stream.calls)), \(Format.count(run.stream.merged))")
            }
            row("server child's CPU meanwhile", Format.seconds(run.serverCPUSeconds))
            row("other processes' CPU meanwhile", Self.otherLoad(run.otherCPUSeconds, over: run.stream.wallSeconds))
        }
        if let server = f.serverUsage {
            row("server child, whole run", "\(Format.seconds(server.cpuSeconds)) CPU, peak RSS \(Format.megabytes(server.peakResidentBytes))")
        }
        switch f.takeover {
        case .measured(let takeover)?:
            let timings = takeover.timings
            section("takeover (2 × kubelua run --leader-elect, lease \(timings.leaseDuration) s, renew deadline \(timings.renewDeadline) s, "
                + "retry \(timings.retryPeriod) s; \(Format.count(takeover.pods)) pods, \(takeover.rate) events/s; median (min–max))")
            for signal in [SIGKILL, SIGTERM] {
                let failovers = takeover.failovers(after: signal), name = TakeoverPhase.signalName(signal)
                guard !failovers.isEmpty else { continue }
                func seconds(_ value: (TakeoverPhase.Failover) -> Double) -> String {
                    Format.spread(failovers.map(value)) { String(format: "%.2f", $0) } + " s"
                }
                func count(_ value: (FailoverTally) -> Int) -> String { Format.spread(failovers.map { Double(value($0.tally)) }) { Format.count(Int($0)) } }
                func total(_ value: (FailoverTally) -> Int) -> String { Format.count(failovers.reduce(0) { $0 + value($1.tally) }) }
                row("after \(name) (\(failovers.count)×): standby leads", seconds(\.leadsSeconds))
                row("  first event sent after it handled", seconds(\.firstEventSeconds))
                if signal == SIGTERM { row("  old leader drained, released, exited", seconds(\.exitSeconds)) }
                row("  handled by both replicas", "\(count(\.duplicates)) per failover; of all \(total(\.duplicates)): initial adds "
                    + "\(total(\.duplicatesInitial)), ctx.replayed \(total(\.duplicatesReplayed)), unmarked \(total(\.unmarkedDuplicates))")
                row("  calls with ctx.replayed", "\(count(\.replayed)) per failover")
                row("  sent, a later version handled instead", "\(count(\.superseded)) of \(count(\.sent)) per failover")
            }
            row("LOST: sent, no version as late handled", takeover.lost == 0 ? "0" : "\(Format.count(takeover.lost)): EVENTS LOST")
        case .unavailable(let why)?: row("takeover", "not measured: \(why)")
        case nil: break
        }
        section("goals")
        for check in GoalCheck.all(f) {
            row(check.goal, "\(check.value): \(check.verdict)")
        }
        print(lines.joined(separator: "\n"))
    }

    /// The container index's cost per cached pod.
    static func index(_ cache: CacheFootprint) -> String {
        String(format: "%.0f bytes (%.0f pairs) beside %.0f bytes of JSON; %@ for %d pods; blocks of JSON and index %@",
               cache.indexBytesPerPod, cache.indexPairsPerPod, cache.jsonBytesPerPod, Format.megabytes(cache.indexBytes), cache.pods,
               Format.megabytes(cache.blockBytes))
    }

    /// Another process's CPU over an interval, as seconds and as a share of the machine.
    static func otherLoad(_ seconds: Double, over wall: Double) -> String {
        let share = seconds / (wall * Double(ProcessInfo.processInfo.activeProcessorCount)) * 100
        return Format.seconds(seconds) + String(format: " (%.0f%% of the machine)", share)
    }
}
