import Foundation
import Hooks
import Kube
import Lua
import Prometheus
import PrometheusText
import Testing

/// The `metrics` module: series caps, redeclarations and bad updates, seen over `/metrics`.
@Suite(.timeLimit(.minutes(1)))
struct HookMetricsTests {
    @Test func seriesPastTheCapAreDroppedAndCountedNotFatal() async throws {
        let setup = try await ObservedDaemon(
            hooks: ["default/a.lua": """
                local by_pod = metrics.counter("by_pod_total", {"pod"})
                function on_add(pod) by_pod:inc{pod.metadata.name} print("counted " .. pod.metadata.name) end
                """],
            pods: ["p1", "p2", "p3"], seriesLimit: 2)
        try await setup.scrapeAfterSync { text in
            #expect(text.samples("kubelua_hook_by_pod_total", where: ["hook": "default/a.lua"]).count == 2)
            #expect(text.value("kubelua_metric_series_dropped_total", ["hook": "default/a.lua"]) == 1)
            // Every handler ran to its end, and the drop was reported once, naming the metric.
            #expect(setup.output.texts.filter { $0.hasPrefix("counted ") }.count == 3)
            #expect(setup.output.failures.isEmpty)
            let warnings = setup.output.lines.filter { $0.level == .warning }.map(\.message)
            #expect(warnings == [
                "metrics 'by_pod_total': this hook reached its limit of 2 series; updates of new series are dropped (counted in kubelua_metric_series_dropped_total)"
            ])
        }
        try await setup.shutdown()
    }

    @Test func withShardsEachShardsCopyOfAHookSetsSeriesOfItsOwnAndTheLabelShardIsKubeluas() async throws {
        let output = HookOutput()
        let folder = try HooksFolder([
            "default/a.lua": "local copies = metrics.gauge('copies') copies:set(1) copies:inc(1)",
            "default/b.lua": "metrics.gauge('mine', {'shard'})",
        ])
        let registry = PrometheusCollectorRegistry()
        let hookMetrics = HookMetrics(registry: registry)
        var failures: [String] = []
        for index in 0..<2 {
            var environment = output.environment()
            environment.hookMetrics = hookMetrics
            environment.shard = PodShard(index, of: 2)
            failures += try await HookRuntime(root: folder.root, environment: environment).loadAll().map(\.description)
        }
        // One series per shard's copy: neither overwrote the other's 2.
        let text = try PrometheusText(parsing: String(decoding: registry.emitToBuffer(), as: UTF8.self))
        #expect(text.samples("kubelua_hook_copies").map(\.labels).sorted { $0["shard"]! < $1["shard"]! } == [
            ["hook": "default/a.lua", "shard": "0"], ["hook": "default/a.lua", "shard": "1"],
        ])
        #expect(text.samples("kubelua_hook_copies").allSatisfy { $0.value == 2 })
        #expect(failures.count == 2)
        #expect(failures.allSatisfy {
            $0.hasSuffix("/default/b.lua:1: metrics.gauge 'mine': the label 'shard' is kubelua's with --shards (it names the shard); choose another name")
        }, "\(failures)")
        // Without shards, 'shard' is a label like any other, and no series has a shard label.
        let unsharded = PrometheusCollectorRegistry()
        var environment = output.environment()
        environment.hookMetrics = HookMetrics(registry: unsharded)
        #expect(try await HookRuntime(root: folder.root, environment: environment).loadAll().isEmpty)
        let plain = try PrometheusText(parsing: String(decoding: unsharded.emitToBuffer(), as: UTF8.self))
        #expect(plain.samples("kubelua_hook_copies").map(\.labels) == [["hook": "default/a.lua"]])
    }

    @Test func redeclaringWithOtherLabelsFailsTheLoadNamingTheMetric() async throws {
        let output = HookOutput()
        let folder = try HooksFolder([
            "default/a.lua": "metrics.counter('restarts_total', {'namespace'})",
            "default/b.lua": "metrics.counter('restarts_total', {'namespace', 'reason'})",
        ])
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        let failures = try await runtime.loadAll()
        #expect(await runtime.loadedHooks == ["default/a.lua"])
        // Lua shortens long chunk names from the left: the path ends as given.
        #expect(failures.count == 1)
        #expect(failures.first?.description.hasSuffix(
            "/default/b.lua:1: metrics.counter: 'restarts_total' is already declared as a counter with labels (namespace) "
                + "by default/a.lua; it cannot be redeclared as a counter with labels (namespace, reason) (restart kubelua to change a metric)"
        ) == true)
    }

    @Test(arguments: [
        ("metrics.counter('9lives')", "metrics.counter: '9lives' is not a metric name (letters, digits and _, not starting with a digit)"),
        ("metrics.gauge('g', {'hook'})", "metrics.gauge 'g': the label 'hook' is kubelua's (it names the hook); choose another name"),
        ("metrics.histogram('h', {}, {2, 1})", "metrics.histogram 'h': buckets must be finite numbers in increasing order, at least one"),
        ("metrics.counter('c', {'a'}):inc{'x', 'y'}", "metrics 'c': inc needs 1 label value(s) (a), got 2"),
        ("metrics.counter('c2', {'a'}):inc()", "metrics 'c2': inc needs 1 label value(s) (a)"),
        ("metrics.counter('c3'):inc(-1)", "metrics 'c3': a counter only goes up (inc by -1.0)"),
        ("metrics.gauge('g2'):set()", "metrics 'g2': set needs a number (m:set(labels, value))"),
        ("metrics.counter('c4').inc()", "metrics: call inc with ':' (m:inc(...))"),
    ])
    func mistakesAreErrorsAtTheScriptsLine(source: String, message: String) async throws {
        let output = HookOutput()
        let folder = try HooksFolder(["default/m.lua": "\n" + source])
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        let failures = try await runtime.loadAll()
        #expect(failures.count == 1)
        #expect(failures.first?.description.hasSuffix("/default/m.lua:2: \(message)") == true, "\(failures)")
    }

    @Test func aReloadRedeclaresTheSameMetricAndKeepsItsSeries() async throws {
        let output = HookOutput()
        let folder = try HooksFolder(["default/a.lua": "metrics.gauge('level', {'kind'}):set({kind = 'x'}, 1)"])
        var environment = output.environment()
        environment.hookMetrics = HookMetrics(seriesLimit: 1)
        let runtime = HookRuntime(root: folder.root, environment: environment)
        #expect(try await runtime.loadAll().isEmpty)
        try folder.write("default/a.lua", "metrics.gauge('level', {'kind'}):set({kind = 'x'}, 2)")
        let reload = try await runtime.reload()
        #expect(reload.failures.isEmpty)
        #expect(reload.loaded == ["default/a.lua"])
        let text = try PrometheusText(parsing: environment.hookMetrics.registry.emitToString())
        #expect(text.value("kubelua_hook_level", ["hook": "default/a.lua", "kind": "x"]) == 2)
        #expect(text.value("kubelua_metric_series_dropped_total", ["hook": "default/a.lua"]) == nil)
    }
}
