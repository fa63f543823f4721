import Foundation
import Logging

/// One run: starts the server child, measures each part in order (`BenchPart`), always stops
/// and reaps the child and removes the temporary folder. Progress goes to standard error.
struct BenchRun {
    let options: BenchOptions

    func run() async throws -> BenchFigures {
        // A write to a child that has died must be an error, not the end of this process.
        signal(SIGPIPE, SIG_IGN)
        let scratch = try BenchScratch()
        defer { scratch.remove() }
        Self.progress("starting the fake API server child with \(Format.count(options.pods)) generated pods")
        let server = try await ServerProcess.launch(pods: options.pods)
        let logger = { var logger = Logger(label: "kubelua-bench"); logger.logLevel = .warning; return logger }()
        let context = BenchContext(server: server, scratch: scratch, logger: logger)
        do {
            var figures = try await measure(context)
            figures.serverUsage = try await server.usage()
            await server.stop()
            return figures
        } catch {
            await server.stop()
            throw error
        }
    }

    private func measure(_ context: BenchContext) async throws -> BenchFigures {
        var figures = BenchFigures(pods: options.pods, podJSONBytes: context.server.podJSONBytes)
        if options.includes(.memory) {
            Self.progress("memory: \(options.memoryHooks) hooks, sync, \(Format.count(options.pods)) updates")
            // Each run after the first starts on the heap the runs before it left.
            var runs: [MemoryRun] = options.stripFirst ? [.stripped, .whole] : [.whole, .stripped]
            if options.readsFirst { runs.insert(.declaredReads, at: 0) } else { runs.append(.declaredReads) }
            for run in runs {
                switch run {
                case .whole:
                    figures.memory = try await MemoryPhase.run(context, hooks: options.memoryHooks, events: options.pods)
                case .stripped:
                    Self.progress("memory with --strip-managed-fields")
                    figures.memoryStripped = try await MemoryPhase.run(context, hooks: options.memoryHooks, events: options.pods, stripManagedFields: true)
                case .declaredReads:
                    Self.progress("memory with hooks that declare reads = { \(HookScript.reads.joined(separator: ", ")) }")
                    figures.memoryDeclared = try await MemoryPhase.run(
                        context, hooks: options.memoryHooks, events: options.pods, stripManagedFields: true, reads: HookScript.reads)
                }
            }
        }
        if options.includes(.throughput) {
            Self.progress("throughput: 1 hook, \(Format.count(options.events)) events")
            let throughput = try await ThroughputPhase.run(context, events: options.events, pods: options.pods)
            figures.throughput = throughput
            if options.includes(.reference), let lines = throughput.referenceLines {
                Self.progress("reference: lua5.4 + cjson on the same event lines")
                figures.reference = EventReference.run(lines: lines, events: throughput.stream.events)
            }
        }
        if options.includes(.latency) {
            Self.progress("latency: \(Format.count(options.latencyEvents)) events at \(Format.count(options.latencyRate))/s")
            figures.latency = try await LatencyPhase.run(context, rate: options.latencyRate, events: options.latencyEvents)
        }
        if options.includes(.reload) {
            Self.progress("reload: \(options.reloads) reloads, \(options.reloadRate) events/s flowing")
            figures.reload = try await ReloadPhase.run(context, reloads: options.reloads, rate: options.reloadRate)
        }
        if options.includes(.scaling) {
            Self.progress("scaling: \(options.hookCounts.map(String.init).joined(separator: ", ")) hooks, \(Format.count(options.scalingCalls)) calls each")
            figures.scaling = try await ScalingPhase.run(context, hookCounts: options.hookCounts, calls: options.scalingCalls)
        }
        if options.includes(.python) {
            Self.progress("python: the kubernetes client's Watch, \(Format.count(options.pythonEvents)) events")
            figures.python = try await PythonPeer.run(context, events: options.pythonEvents)
        }
        // Last: the unbounded run may leave a large heap behind.
        if options.includes(.unpaced) {
            var runs: [UnpacedPhase.Figures] = []
            // The default bound, no bound, and the default bound with hooks that debounce.
            for (backlog, debounce) in [(PipelineSession.defaultBacklog, nil), (nil, nil), (PipelineSession.defaultBacklog, UnpacedPhase.debounce)] {
                Self.progress("unpaced: \(Format.count(options.unpacedEvents)) events as fast as the server sends them, \(options.memoryHooks) hooks, "
                    + (backlog.map { "backlog bound \(Format.count($0))" } ?? "no backlog bound") + (debounce.map { ", debounce \($0)" } ?? ""))
                runs.append(try await UnpacedPhase.run(
                    context, hooks: options.memoryHooks, events: options.unpacedEvents, backlog: backlog, debounce: debounce))
            }
            figures.unpaced = runs
        }
        // Its own server child and kubelua processes: nothing of this process's heap counts.
        if options.includes(.takeover) {
            let timings = options.takeoverTimings
            Self.progress("takeover: \(options.takeoverRounds) failovers after SIGKILL and as many after SIGTERM, \(options.takeoverRate) events/s, "
                + "\(options.takeoverPods) pods, lease \(timings.leaseDuration) s, renew deadline \(timings.renewDeadline) s, retry \(timings.retryPeriod) s")
            figures.takeover = try await TakeoverPhase.run(
                scratch: context.scratch, rounds: options.takeoverRounds, pods: options.takeoverPods, rate: options.takeoverRate, timings: timings)
        }
        return figures
    }

    /// The memory part's runs.
    private enum MemoryRun { case whole, stripped, declaredReads }

    static func progress(_ message: String) {
        FileHandle.standardError.write(Data("kubelua-bench: \(message)\n".utf8))
    }
}
