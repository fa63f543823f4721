import FakeAPIServer
import Hooks
import Kube
import Lua
import PrometheusText
import Testing

/// Each hook setting through the daemon, over real HTTP against the fake API server, with the
/// hook clock injected (retries and debounce windows come due when the test moves it).
@Suite(.timeLimit(.minutes(1)))
struct HookSettingsDaemonTests {
    /// Reads the hooks' printed lines in order.
    struct Lines {
        var iterator: AsyncStream<HookLogRecord>.Iterator

        init(_ output: HookOutput) { iterator = output.stream.makeAsyncIterator() }

        /// The next lines up to and including the first equal to `last`.
        mutating func through(_ last: String) async -> [String] {
            var seen: [String] = []
            while let line = await iterator.next()?.text {
                seen.append(line)
                if line == last { break }
            }
            return seen
        }

        /// The next `count` lines (fewer if the output ends).
        mutating func next(_ count: Int) async -> [String] {
            var seen: [String] = []
            while seen.count < count, let line = await iterator.next()?.text { seen.append(line) }
            return seen
        }
    }

    /// Runs `body` once the daemon has synced and handled its initial adds.
    func run(_ setup: ObservedDaemon, _ body: (inout Lines) async throws -> Void) async throws {
        var lines = Lines(setup.output)
        try await setup.runAfterSync { _ in try await body(&lines) }
        try await setup.shutdown()
    }

    @Test func aPodThatStartsMatchingArrivesAsSelectedAndOneThatStopsAsUnselected() async throws {
        let setup = try await ObservedDaemon(hooks: ["default/web.lua": """
            hook = { labels = "app=web" }
            function on_add(pod, ctx) print("add " .. pod.metadata.name .. " " .. tostring(ctx.reason) .. " " .. tostring(ctx.initial)) end
            function on_update(old, new) print("update " .. new.metadata.name) end
            function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. " " .. tostring(ctx.reason)) end
            function on_phase(pod, from, to) print("phase " .. pod.metadata.name .. " " .. tostring(from) .. " " .. to) end
            """])
        try setup.server.createPod(name: "a", labels: ["app": "web"])
        try setup.server.createPod(name: "b", labels: ["app": "db"])
        try await run(setup) { lines in
            try setup.server.setLabels(name: "b", ["app": "web"])
            try setup.server.setLabels(name: "a", ["app": "db"])
            try setup.server.setLabels(name: "b", ["tier": "x"])
            #expect(await lines.through("update b") == [
                "add a nil true", "phase a nil Pending",
                "add b selected false", "phase b nil Pending",
                "delete a unselected",
                "update b",
            ])
        }
    }

    @Test func aFieldSelectorNarrowsToTheNode() async throws {
        let setup = try await ObservedDaemon(hooks: ["default/node.lua": """
            hook = { fields = "spec.nodeName=node-1,status.phase!=Succeeded" }
            function on_add(pod) print("add " .. pod.metadata.name) end
            function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. " " .. tostring(ctx.reason)) end
            """])
        try setup.server.createPod(name: "on-1", nodeName: "node-1")
        try setup.server.createPod(name: "on-2", nodeName: "node-2")
        try await run(setup) { lines in
            try setup.server.setPhase(name: "on-1", "Succeeded")
            #expect(await lines.through("delete on-1 unselected") == ["add on-1", "delete on-1 unselected"])
        }
    }

    @Test func aFailedCallIsRetriedWithItsPodsLaterEventsBehindItAndOtherPodsNotDelayed() async throws {
        let clock = VirtualClock()
        let setup = try await ObservedDaemon(hooks: ["default/retry.lua": """
            hook = { retry = { attempts = 3, initial = "10s", max = "10s" } }
            function on_add(pod, ctx)
              print("add " .. pod.metadata.name .. " " .. ctx.attempt)
              if pod.metadata.name == "a" and ctx.attempt < 3 then error("not yet") end
            end
            function on_update(old, new) print("update " .. new.metadata.name) end
            """], hookClock: clock)
        try setup.server.createPod(name: "a")
        try setup.server.createPod(name: "b")
        var failures = setup.output.failureStream.makeAsyncIterator()
        try await run(setup) { lines in
            let first = await failures.next()
            #expect(first?.description.hasSuffix("not yet (pod default/a) in on_add; retrying (attempt 2) in 10.0 s") == true)
            try setup.server.touch(name: "a")
            try setup.server.touch(name: "b")
            // b's update runs while a waits: by then a's update is queued behind a's retry.
            let before = await lines.through("update b")
            #expect(Set(before) == ["add a 1", "add b 1", "update b"])
            clock.advance(by: .seconds(10))
            #expect(await failures.next()?.disposition == .retrying(attempt: 3, in: .seconds(10)))
            clock.advance(by: .seconds(10))
            #expect(await lines.through("update a") == ["add a 2", "add a 3", "update a"])
        }
    }

    @Test func theLastFailedAttemptIsGivenUpLoggedAndCounted() async throws {
        let clock = VirtualClock()
        let setup = try await ObservedDaemon(hooks: ["default/giveup.lua": """
            hook = { retry = { attempts = 2, initial = "1s", max = "1s" } }
            function on_add(pod, ctx) error("down " .. ctx.attempt) end
            """], hookClock: clock)
        try setup.server.createPod(name: "a")
        var failures = setup.output.failureStream.makeAsyncIterator()
        try await setup.runAfterSync { port in
            _ = await failures.next()
            clock.advance(by: .seconds(1))
            let last = await failures.next()
            #expect(last?.disposition == .givenUp(attempts: 2))
            #expect(last?.description.hasSuffix("down 2 (pod default/a) in on_add; given up after 2 attempts") == true)
            let metrics = try await setup.scrape(port: port)
            #expect(metrics.value("kubelua_handler_giveups_total", ["hook": "default/giveup.lua", "handler": "on_add"]) == 1)
            #expect(metrics.value("kubelua_backlog_calls", ["hook": "default/giveup.lua"]) == 0)
        }
        try await setup.shutdown()
    }

    @Test func aKilledCallIsRetriedUnderTheHooksOwnInstructionLimit() async throws {
        let clock = VirtualClock()
        let setup = try await ObservedDaemon(hooks: ["default/spin.lua": """
            hook = { retry = { attempts = 2, initial = "1s", max = "1s" }, limits = { instructions = 100000 } }
            function on_add(pod, ctx)
              if ctx.attempt == 1 then while true do end end
              print("add " .. pod.metadata.name .. " " .. ctx.attempt)
            end
            """], hookClock: clock)
        try setup.server.createPod(name: "a")
        var failures = setup.output.failureStream.makeAsyncIterator()
        try await run(setup) { lines in
            let killed = await failures.next()
            #expect(killed?.error.kind == .instructionBudget)
            #expect(killed?.error.message.contains("100,000 instructions") == true)
            clock.advance(by: .seconds(1))
            #expect(await lines.through("add a 2") == ["add a 2"])
        }
    }

    @Test func aHooksOwnMemoryLimitKillsItWhileTheFlagAllowsMore() async throws {
        let setup = try await ObservedDaemon(hooks: [
            "default/small.lua": """
                hook = { limits = { memory = "2MiB" } }
                function on_add(pod) local t = {} for i = 1, 200000 do t[i] = i end print("small done") end
                """,
            "default/large.lua": "function on_add(pod) local t = {} for i = 1, 200000 do t[i] = i end print('large done') end",
        ])
        try setup.server.createPod(name: "a")
        var failures = setup.output.failureStream.makeAsyncIterator()
        try await run(setup) { lines in
            #expect(await lines.through("large done") == ["large done"])
            let failure = await failures.next()
            #expect(failure?.hook == "default/small.lua" && failure?.error.kind == .memory)
        }
        #expect(!setup.output.texts.contains("small done"))
    }

    @Test func aNewerEventSupersedesAWaitingRetry() async throws {
        let setup = try await ObservedDaemon(hooks: ["default/latest.lua": """
            hook = { retry = { attempts = 5, initial = "1h", max = "1h", supersede = true } }
            function on_add(pod, ctx)
              local v = (pod.metadata.labels or {}).v
              print("add " .. pod.metadata.name .. " " .. ctx.attempt .. " " .. tostring(v))
              if not v then error("no v yet") end
            end
            function on_update(old, new) print("update " .. new.metadata.name) end
            """], hookClock: VirtualClock())
        try setup.server.createPod(name: "a")
        var failures = setup.output.failureStream.makeAsyncIterator()
        try await run(setup) { lines in
            _ = await failures.next()
            // The clock never moves: only the newer event can run the add again.
            try setup.server.setLabels(name: "a", ["v": "1"])
            #expect(await lines.through("add a 1 1") == ["add a 1 nil", "add a 1 1"])
        }
        #expect(!setup.output.texts.contains("update a"), "the update was merged into the add it superseded")
    }

    @Test func aPendingRetryMovesToTheReloadedVersionAndRunsBeforeItsInitialAdd() async throws {
        let clock = VirtualClock()
        let failing = """
            hook = { retry = { attempts = 3, initial = "10s", max = "10s" } }
            function on_add(pod, ctx) print("v1 " .. pod.metadata.name .. " " .. ctx.attempt) error("v1 is broken") end
            """
        let setup = try await ObservedDaemon(hooks: ["default/h.lua": failing], hookClock: clock)
        try setup.server.createPod(name: "a")
        var failures = setup.output.failureStream.makeAsyncIterator()
        try await run(setup) { lines in
            _ = await failures.next()
            try setup.folder.write("default/h.lua", """
                hook = { retry = { attempts = 3, initial = "10s", max = "10s" } }
                function on_add(pod, ctx) print("v2 " .. pod.metadata.name .. " " .. ctx.attempt .. " " .. tostring(ctx.initial)) end
                """)
            #expect(try await setup.runtime.reload().loaded == ["default/h.lua"])
            try setup.server.createPod(name: "b")
            // v2's initial add of a waits behind the retry it adopted; b is new and runs.
            #expect(await lines.through("v2 b 1 false") == ["v1 a 1", "v2 b 1 false"])
            clock.advance(by: .seconds(10))
            #expect(await lines.through("v2 a 1 true") == ["v2 a 2 true", "v2 a 1 true"])
        }
    }

    @Test func updatesInTheDebounceWindowArriveAsOneWithEveryPhaseChange() async throws {
        let clock = VirtualClock()
        let setup = try await ObservedDaemon(hooks: ["default/calm.lua": """
            hook = { debounce = "10s" }
            function on_add(pod) print("add " .. pod.metadata.name) end
            function on_update(old, new) print("update " .. new.metadata.name .. " " .. old.status.phase .. " to " .. new.status.phase) end
            function on_phase(pod, from, to) if from then print("phase " .. pod.metadata.name .. " " .. from .. " to " .. to) end end
            function on_delete(pod) print("delete " .. pod.metadata.name) end
            """], hookClock: clock)
        try setup.server.createPod(name: "a")
        try await run(setup) { lines in
            #expect(await lines.through("add a") == ["add a"])
            try setup.server.setPhase(name: "a", "Running")
            try setup.server.touch(name: "a")
            try setup.server.setPhase(name: "a", "Succeeded")
            // An add is not debounced: once it runs, a's three updates are queued.
            try setup.server.createPod(name: "witness")
            #expect(await lines.through("add witness") == ["add witness"])
            clock.advance(by: .seconds(10))
            #expect(await lines.through("phase a Running to Succeeded") == [
                "update a Pending to Succeeded", "phase a Pending to Running", "phase a Running to Succeeded",
            ])
            // A delete closes an open window at once: the update it held runs first.
            try setup.server.setPhase(name: "a", "Failed")
            try setup.server.delete(name: "a")
            #expect(await lines.through("delete a") == ["update a Succeeded to Failed", "phase a Succeeded to Failed", "delete a"])
        }
    }
}
