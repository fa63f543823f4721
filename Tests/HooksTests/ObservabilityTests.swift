import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging
import Lua
import PrometheusText
import Testing

/// `/metrics`, `/healthz` and `/readyz` over real HTTP, for a daemon on the fake API server.
@Suite(.timeLimit(.minutes(1)))
struct ObservabilityTests {
    @Test func metricsAfterAScriptedScenario() async throws {
        let setup = try await ObservedDaemon(
            hooks: [
                "default/a.lua": """
                    local seen = metrics.counter("pods_seen_total", {"phase"})
                    local sizes = metrics.histogram("name_length", {}, {1, 4, 16})
                    function on_add(pod)
                      seen:inc{pod.status.phase}
                      sizes:observe(#pod.metadata.name)
                      if pod.metadata.name == "bad" then error("bad pod") end
                    end
                    """,
                "default/broken.lua": "function on_add(pod",
            ],
            pods: ["one", "two", "bad"])
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await setup.listenerGroup.run() }
            tasks.addTask { try await setup.daemonGroup.run() }
            let port = await setup.port()
            for await _ in setup.synced { break }
            let text = try await setup.scrape(port: port)
            let a = "default/a.lua"
            #expect(text.value("kubelua_handler_calls_total", ["hook": a, "handler": "on_add", "result": "ok"]) == 2)
            #expect(text.value("kubelua_handler_calls_total", ["hook": a, "handler": "on_add", "result": "error"]) == 1)
            #expect(text.value("kubelua_handler_calls_total", ["hook": a, "handler": "on_add", "result": "killed_deadline"]) == 0)
            #expect(text.value("kubelua_handler_duration_seconds_count", ["hook": a, "handler": "on_add"]) == 3)
            #expect(text.types["kubelua_handler_duration_seconds"] == "histogram")
            #expect(text.value("kubelua_events_received_total", ["type": "add", "watch": "default"]) == 3)
            #expect(text.value("kubelua_load_failures_total", ["hook": "default/broken.lua"]) == 1)
            #expect((text.value("kubelua_loaded_timestamp_seconds", ["hook": a]) ?? 0) > 1_700_000_000)
            #expect((text.value("kubelua_last_sync_timestamp_seconds", ["watch": "default"]) ?? 0) > 1_700_000_000)
            #expect(text.value("kubelua_watch_synced", ["watch": "default"]) == 1)
            #expect(text.value("kubelua_pods_cached") == 3)
            #expect(text.value("kubelua_backlog_calls", ["hook": a]) == 0)
            #expect((text.value("kubelua_lua_memory_bytes", ["hook": a]) ?? 0) > 0)
            #expect(text.value("kubelua_build_info", ["version": "test"]) == 1)
            #expect((text.value("process_resident_memory_bytes") ?? 0) > 0)
            // What the hook defined, under kubelua_hook_ with its hook label.
            #expect(text.value("kubelua_hook_pods_seen_total", ["hook": a, "phase": "Pending"]) == 3)
            #expect(text.value("kubelua_hook_name_length_bucket", ["hook": a, "le": "4.0"]) == 3)
            #expect(text.value("kubelua_hook_name_length_bucket", ["hook": a, "le": "1.0"]) == 0)
            #expect(text.value("kubelua_hook_name_length_sum", ["hook": a]) == 9)
            // A folder with a broken hook is still ready: the other hook runs.
            let ready = try await setup.get("/readyz", port: port)
            #expect(ready.status == 200)
            #expect(ready.body == "ready: 1 of 2 hook(s) loaded; synced: default\n")
            try await setup.stop()
        }
        try await setup.shutdown()
    }

    @Test func readinessFlipsOnceTheWatchHasSynced() async throws {
        let setup = try await ObservedDaemon(hooks: ["default/a.lua": "function on_add(pod) end"], pods: ["one"])
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await setup.listenerGroup.run() }
            let port = await setup.port()
            let before = try await setup.get("/readyz", port: port)
            #expect(before.status == 503)
            #expect(before.body == "not ready: waiting for the watches to start\n")
            #expect(try await setup.get("/healthz", port: port).status == 200)
            tasks.addTask { try await setup.daemonGroup.run() }
            for await _ in setup.synced { break }
            let after = try await setup.get("/readyz", port: port)
            #expect(after.status == 200)
            #expect(after.body == "ready: 1 of 1 hook(s) loaded; synced: default\n")
            #expect(try await setup.get("/nothing", port: port).status == 404)
            try await setup.stop()
        }
        try await setup.shutdown()
    }

    @Test func anEmptyHooksFolderIsNotReady() async throws {
        let setup = try await ObservedDaemon(hooks: ["_lib/util.lua": "return {}"])
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await setup.listenerGroup.run() }
            tasks.addTask { try await setup.daemonGroup.run() }
            let port = await setup.port()
            let ready = try await setup.get("/readyz", port: port)
            #expect(ready.status == 503)
            #expect(ready.body.hasPrefix("not ready: no hooks in "))
            try await setup.stop()
        }
        try await setup.shutdown()
    }

    @Test func healthFailsWhileAHookHoldsItsThreadPastItsDeadline() async throws {
        let blocker = ThreadBlocker(bound: 50)
        let setup = try await ObservedDaemon(
            hooks: ["default/w.lua": "function on_add(pod) block.hold('wedge') end"], pods: ["one"],
            modules: { _ in [blocker.module] }, sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(1))),
            threads: LuaThreadPool(threads: 1))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await setup.listenerGroup.run() }
            tasks.addTask { try await setup.daemonGroup.run() }
            let port = await setup.port()
            for await _ in blocker.arrived { break }
            // Blocked, but not yet for its deadline plus the margin (61 s).
            #expect(try await setup.get("/healthz", port: port).status == 200)
            setup.advanceClock(seconds: 120)
            let wedged = try await setup.get("/healthz", port: port)
            #expect(wedged.status == 503)
            #expect(wedged.body.hasPrefix("unhealthy: Lua thread kubelua-lua-0 has not come back from one call for "))
            #expect(wedged.body.contains("; running default/w.lua"))
            // Once the call returns, the thread is healthy again, whatever the clock says.
            blocker.release("wedge")
            for await _ in setup.synced { break }
            #expect(try await setup.get("/healthz", port: port).body == "ok\n")
            try await setup.stop()
        }
        try await setup.shutdown()
    }
}

extension ObservabilityTests {
    @Test func aRemovedHookLosesItsSeriesOfState() async throws {
        let setup = try await ObservedDaemon(hooks: ["default/a.lua": "function on_add(pod) end", "default/b.lua": "function on_add(pod) end"])
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await setup.listenerGroup.run() }
            tasks.addTask { try await setup.daemonGroup.run() }
            let port = await setup.port()
            for await _ in setup.synced { break }
            #expect(try await setup.scrape(port: port).samples("kubelua_lua_memory_bytes").compactMap { $0.labels["hook"] }.sorted() == ["default/a.lua", "default/b.lua"])
            let root = await setup.runtime.root
            try FileManager.default.removeItem(atPath: root + "/default/b.lua")
            #expect(try await setup.runtime.reload().removed == ["default/b.lua"])
            let text = try await setup.scrape(port: port)
            #expect(text.samples("kubelua_lua_memory_bytes").compactMap { $0.labels["hook"] } == ["default/a.lua"])
            #expect(text.samples("kubelua_backlog_calls").compactMap { $0.labels["hook"] } == ["default/a.lua"])
            try await setup.stop()
        }
        try await setup.shutdown()
    }
}

extension ObservabilityTests {
    @Test func httpHelperRequestsAreCountedPerHookAndOutcome() async throws {
        let fixture = try await HTTPHelperFixture()
        let helper = fixture.helper(), requests = HTTPRequestStatistics()
        let setup = try await ObservedDaemon(
            hooks: ["default/h.lua": """
                function on_add(pod)
                  local base = os.getenv("BASE")
                  assert(http.get(base .. "/echo"))
                  assert(http.get(base .. "/missing"))
                  assert(not http.get("http://169.254.169.254/"))
                end
                """],
            pods: ["one"], modules: { file in [.http(helper, hook: file.name, requests: requests)] },
            sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: .seconds(30)), environment: ["BASE": "http://127.0.0.1:\(fixture.server.port)"]),
            httpRequests: requests)
        try await setup.scrapeAfterSync { text in
            #expect(setup.output.failures.isEmpty)
            for outcome in ["2xx", "4xx", "failed"] {
                #expect(text.value("kubelua_http_requests_total", ["hook": "default/h.lua", "outcome": outcome]) == 1, "\(outcome)")
            }
        }
        try await setup.shutdown()
        try await fixture.shutdown()
    }

    @Test func kubeRequestsAreCountedPerVerbResourceAndCodeAndRefusalsPerHook() async throws {
        let api = FakeAPIServer()
        try await api.start()
        _ = try api.createPod(name: "target")
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = try KubeClient(connection: KubeConnection(server: URL(string: api.baseURL)!, origin: "test"), logger: logger)
        let requests = KubeCallStatistics()
        let kube = KubeHelper(
            cache: PodCache(), backend: LiveKubeBackend(client: client, statistics: requests, logger: logger), events: KubeEventRecorder(),
            statistics: requests)
        let setup = try await ObservedDaemon(
            hooks: ["default/h.lua": """
                function on_add(pod)
                  local target = {apiVersion = 'v1', kind = 'Pod', namespace = 'default', name = 'target'}
                  assert(kube.label(target, {seen = 'yes'}))
                  assert(not kube.get{apiVersion = 'batch/v1', kind = 'Job', namespace = 'default', name = 'missing'})
                  assert(not kube.get{apiVersion = 'v1', kind = 'Node', name = 'n'})
                end
                """],
            pods: ["one"], modules: { [.kube(kube, for: $0)] }, kubeRequests: requests)
        try await setup.scrapeAfterSync { text in
            #expect(setup.output.failures.isEmpty)
            #expect(text.value("kubelua_kube_requests_total", ["hook": "default/h.lua", "verb": "patch", "resource": "pods", "code": "200"]) == 1)
            #expect(text.value("kubelua_kube_requests_total", ["hook": "default/h.lua", "verb": "get", "resource": "jobs", "code": "404"]) == 1)
            #expect(text.value("kubelua_kube_refused_total", ["hook": "default/h.lua", "call": "get", "resource": "nodes"]) == 1)
        }
        try await setup.shutdown()
        try await client.shutdown()
        try await api.shutdown()
    }
}
