import FakeAPIServer
import Hooks
import Kube
import Lua
import PrometheusText
import Testing

/// Hooks that keep time, through the daemon over real HTTP, with the hook clock injected:
/// timers, schedules, resyncs and `on_start`.
@Suite(.timeLimit(.minutes(1)))
struct HookTimeDaemonTests {
    typealias Lines = HookSettingsDaemonTests.Lines

    @Test func aTimerFiresWithNoNewEventSeesThePodsLatestStateAndACancelledOneDoesNot() async throws {
        let clock = VirtualClock()
        let setup = try await ObservedDaemon(hooks: ["default/later.lua": """
            function on_add(pod) timer.after(pod, "90s") print("add " .. pod.metadata.name) end
            function on_update(old, new) if (new.metadata.labels or {}).cancel then timer.cancel(new) end end
            function on_timer(pod, ctx) print("timer " .. pod.metadata.name .. " " .. pod.status.phase .. " " .. ctx.event) end
            """], hookClock: clock)
        try setup.server.createPod(name: "a")
        try setup.server.createPod(name: "b")
        var lines = Lines(setup.output)
        try await setup.runAfterSync { _ in
            #expect(Set([await lines.iterator.next()?.text, await lines.iterator.next()?.text]) == ["add a", "add b"])
            try setup.server.setPhase(name: "a", "Running")
            try setup.server.setLabels(name: "b", ["cancel": "yes"])
            try setup.server.createPod(name: "w")
            #expect(await lines.through("add w") == ["add w"])
            clock.advance(by: .seconds(89))
            try setup.server.createPod(name: "x")
            #expect(await lines.through("add x") == ["add x"], "no timer before its time")
            clock.advance(by: .seconds(1))
            // a's and w's timers fire, each with the pod as it is now; b's was cancelled.
            #expect(Set([await lines.iterator.next()?.text, await lines.iterator.next()?.text]) == ["timer a Running timer", "timer w Pending timer"])
            try setup.server.createPod(name: "z")
            #expect(await lines.through("add z") == ["add z"])
        }
        #expect(!setup.output.texts.contains("timer b Pending timer"))
        try await setup.shutdown()
    }

    @Test func aTimerForAPodOutsideTheScopeOrWithABadDelayIsAnErrorAtTheLine() async throws {
        let setup = try await ObservedDaemon(hooks: ["default/bad.lua": """
            function on_add(pod)
              timer.after({ metadata = { namespace = "kube-system", name = "x" } }, 5)
            end
            function on_update(old, new)
              timer.after(new, "soon")
            end
            """], hookClock: VirtualClock())
        try setup.server.createPod(name: "a")
        var failures = setup.output.failureStream.makeAsyncIterator()
        try await setup.runAfterSync { _ in
            let outside = await failures.next()
            #expect(outside?.error.message.hasSuffix("default/bad.lua:2: timer.after: pod kube-system/x is outside this hook's namespace default") == true, "\(outside?.error.message ?? "")")
            try setup.server.touch(name: "a")
            let delay = await failures.next()
            #expect(delay?.error.message.hasSuffix(#"default/bad.lua:5: timer.after: expected a delay from 1ms to 30 days such as "90s" or a number of seconds, got "soon""#) == true)
        }
        try await setup.shutdown()
    }

    @Test func aScheduleNeverRunsTwiceAtOnceAndATickMissedMeanwhileIsSkippedAndCounted() async throws {
        let clock = VirtualClock()
        let blocker = ThreadBlocker(bound: 50)
        let setup = try await ObservedDaemon(
            hooks: ["default/cron.lua": """
                hook = { schedule = "@every 30s" }
                local ticks = 0
                function on_schedule(ctx)
                  ticks = ticks + 1
                  print("tick " .. ticks .. " at +" .. (ctx.time - 1767225600))
                  if ticks == 1 then block.hold("first") end
                end
                """],
            modules: { _ in [blocker.module] }, sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: nil)), hookClock: clock)
        var lines = Lines(setup.output)
        try await setup.runAfterSync { port in
            clock.advance(by: .seconds(30))
            for await _ in blocker.arrived { break }
            // Two ticks come while the first call still runs: both skipped, not queued.
            clock.advance(by: .seconds(30))
            clock.advance(by: .seconds(30))
            blocker.release("first")
            // The first call has ended before the next tick comes.
            await setup.runtime.waitUntilIdle()
            clock.advance(by: .seconds(30))
            #expect(await lines.through("tick 2 at +120") == ["tick 1 at +30", "tick 2 at +120"])
            let metrics = try await setup.scrape(port: port)
            #expect(metrics.value("kubelua_schedule_skips_total", ["hook": "default/cron.lua"]) == 2)
        }
        try await setup.shutdown()
    }

    @Test func aResyncHandsEveryPodOverOncePerIntervalSpreadOverIt() async throws {
        let clock = VirtualClock()
        let setup = try await ObservedDaemon(hooks: ["default/again.lua": """
            hook = { resync = "60s" }
            function on_update(old, new, ctx)
              if ctx.resync then print("resync " .. new.metadata.name .. " " .. tostring(old.metadata.resourceVersion == new.metadata.resourceVersion)) end
            end
            """], hookClock: clock)
        for name in ["a", "b", "c"] { try setup.server.createPod(name: name) }
        var lines = Lines(setup.output)
        try await setup.runAfterSync { _ in
            for _ in 1...2 {
                clock.advance(by: .seconds(60))
                var seen: [String] = []
                while seen.count < 3, let line = await lines.iterator.next() { seen.append(line.text) }
                #expect(seen.sorted() == ["resync a true", "resync b true", "resync c true"])
            }
        }
        try await setup.shutdown()
    }

    @Test func onStartRunsOnceTheScopeIsSyncedBeforeTheInitialAddsAndSaysWhetherItIsAReload() async throws {
        let hook = """
            function on_start(ctx) print("start " .. tostring(ctx.reload)) end
            function on_add(pod, ctx) print("add " .. pod.metadata.name) end
            """
        let setup = try await ObservedDaemon(hooks: ["default/boot.lua": hook], startsOnSync: true)
        try setup.server.createPod(name: "a")
        var lines = Lines(setup.output)
        try await setup.runAfterSync { _ in
            #expect(await lines.through("add a") == ["start false", "add a"])
            try setup.folder.write("default/boot.lua", hook + "\n-- v2")
            _ = try await setup.runtime.reload()
            #expect(await lines.through("add a") == ["start true", "add a"])
        }
        try await setup.shutdown()
    }
}
