import Foundation

/// The figures of one run: printed as a table and written as JSON.
struct BenchReport {
    let pipeline: PipelineRun.Figures
    let reference: EventReference.Outcome

    var kubeluaRate: Double { Double(pipeline.handledEvents) / pipeline.streamSeconds }

    var referenceRate: Double? {
        if case .measured(let f) = reference { return Double(f.events) / f.seconds }
        return nil
    }

    func printTable() {
        let p = pipeline
        let mb = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1e6) }
        var rows: [(String, String)] = [
            ("pods listed / events streamed", "\(p.pods) / \(p.events)"),
            ("kubelua pipeline", String(format: "%.0f events/s (%.3f s, %d handled)", kubeluaRate, p.streamSeconds, p.handledEvents)),
        ]
        switch reference {
        case .measured(let f):
            rows.append(("lua5.4 + cjson \(f.cjson)", String(format: "%.0f events/s (%.3f s CPU)", referenceRate!, f.seconds)))
            rows.append(("kubelua / reference", String(format: "%.2fx", kubeluaRate / referenceRate!)))
        case .unavailable(let why):
            rows.append(("reference", "not measured: \(why)"))
        }
        rows += [
            ("initial sync (first list applied)", String(format: "%.3f s", p.syncSeconds)),
            ("sync + initial adds handled", String(format: "%.3f s", p.syncIdleSeconds)),
            ("cached pods' JSON", mb(p.cachedJSONBytes)),
            ("peak RSS after sync (VmHWM)", mb(p.rssAfterSync)),
            ("peak RSS end of run (VmHWM)", mb(p.rssPeak)),
            ("peak hook backlog (sampled)", "\(p.peakBacklog) events"),
        ]
        print("kubelua-bench (release; fake server in the same process)")
        for (label, value) in rows {
            print("  " + label.padding(toLength: 36, withPad: " ", startingAt: 0) + value)
        }
    }

    func write(to path: String) throws {
        let p = pipeline
        var json: [String: Any] = [
            "pods": p.pods, "events": p.events, "handled_events": p.handledEvents, "failed_calls": p.failedCalls,
            "kubelua_events_per_s": Int(kubeluaRate), "kubelua_seconds": p.streamSeconds,
            "sync_seconds": p.syncSeconds, "sync_and_initial_adds_seconds": p.syncIdleSeconds,
            "cached_json_bytes": p.cachedJSONBytes, "rss_after_sync_bytes": p.rssAfterSync, "rss_peak_bytes": p.rssPeak,
            "peak_hook_backlog": p.peakBacklog,
        ]
        switch reference {
        case .measured(let f):
            json["reference"] = "lua5.4 + lua-cjson \(f.cjson)"
            json["reference_events_per_s"] = Int(referenceRate!)
            json["reference_seconds"] = f.seconds
            json["ratio"] = (kubeluaRate / referenceRate! * 100).rounded() / 100
        case .unavailable(let why):
            json["reference"] = NSNull()
            json["reference_missing"] = why
        }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted]).write(to: url)
    }
}
