import Hooks
import Kube
import Testing

@Suite(.timeLimit(.minutes(1))) struct HookReplayTests {
    @Test func eventsReachHooksOneAtATimeInNameOrder() async throws {
        let folder = try HooksFolder([
            "default/b.lua": "function on_add(pod) print('b ' .. pod.metadata.name) end",
            "default/a.lua": "function on_add(pod) print('a ' .. pod.metadata.name) end",
            "_all/z.lua": "function on_add(pod) print('z ' .. pod.metadata.name) end",
            "other/c.lua": "function on_add(pod) print('c ' .. pod.metadata.name) end",
        ])
        try folder.write("events.ndjson", [
            podJSON("p1", rv: 1), podJSON("p2", namespace: "other", rv: 2), podJSON("p3", rv: 3),
        ].map { #"{"type":"ADDED","object":\#($0)}"# }.joined(separator: "\n"))
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment(clock: VirtualClock()))
        try await HookReplay.run(files: [folder.root + "/events.ndjson"], runtime: runtime)
        // `_all` sorts before the namespace folders.
        #expect(output.texts == ["z p1", "a p1", "b p1", "z p2", "c p2", "z p3", "a p3", "b p3"])
    }

    @Test func anUnreadableOrBrokenRecordingNamesTheFile() async throws {
        let folder = try HooksFolder(["default/a.lua": "", "broken.json": #"{"type":"ADDED","object":{"metadata":{}}}"#])
        let runtime = HookRuntime(root: folder.root, environment: HookOutput().environment(clock: VirtualClock()))
        let missing = await #expect(throws: HookReplayError.self) { try await HookReplay.run(files: [folder.root + "/none.json"], runtime: runtime) }
        #expect(missing?.message == "\(folder.root)/none.json: cannot read the file: No such file or directory")
        let broken = await #expect(throws: HookReplayError.self) { try await HookReplay.run(files: [folder.root + "/broken.json"], runtime: runtime) }
        #expect(broken?.message == "\(folder.root)/broken.json:1:26: pod without metadata.name")
    }

    /// Selectors, retries and debounce in replay, on its virtual clock: the events at one
    /// instant, then each retry and window as the clock moves on. The same lines every run.
    @Test func replayHonoursTheSettingsOnItsOwnClock() async throws {
        let folder = try HooksFolder(["default/r.lua": """
            hook = { labels = "app=web", debounce = "5s", retry = { attempts = 2, initial = "1s", max = "1s" } }
            function on_add(pod, ctx)
              print("add " .. pod.metadata.name .. " " .. ctx.attempt)
              if pod.metadata.name == "b" and ctx.attempt == 1 then error("once") end
            end
            function on_update(old, new) print("update " .. new.metadata.name .. " " .. old.metadata.resourceVersion .. "->" .. new.metadata.resourceVersion) end
            function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. " " .. tostring(ctx.reason)) end
            """])
        let web = ["app": "web"]
        try folder.write("events.ndjson", [
            ("ADDED", podJSON("a", rv: 1, labels: web)), ("ADDED", podJSON("b", rv: 2, labels: web)),
            ("MODIFIED", podJSON("a", rv: 3, labels: web)), ("MODIFIED", podJSON("a", rv: 4, labels: web)),
            ("ADDED", podJSON("c", rv: 5, labels: ["app": "db"])), ("MODIFIED", podJSON("b", rv: 6, labels: ["app": "db"])),
        ].map { #"{"type":"\#($0.0)","object":\#($0.1)}"# }.joined(separator: "\n"))
        for _ in 0..<2 {
            let output = HookOutput()
            let runtime = HookRuntime(root: folder.root, environment: output.environment(clock: VirtualClock()))
            try await HookReplay.run(files: [folder.root + "/events.ndjson"], runtime: runtime)
            #expect(output.texts == ["add a 1", "add b 1", "add b 2", "delete b unselected", "update a 1->4"])
        }
    }

    /// `--clock` and `--advance`: the clock scripts read, timers and schedule ticks fired in order
    /// after the last event, and nothing past the advance.
    @Test func replayMovesItsVirtualClockOnFiringTimersAndTicksInOrder() async throws {
        let folder = try HooksFolder(["default/t.lua": """
            hook = { schedule = "*/1 * * * *" }
            function on_add(pod) print("add " .. pod.metadata.name .. " " .. os.date("!%H:%M:%S")) timer.after(pod, "90s") end
            function on_timer(pod) print("timer " .. pod.metadata.name .. " " .. os.date("!%H:%M:%S")) end
            function on_schedule(ctx) print("tick " .. os.date("!%H:%M:%S", ctx.time) .. " " .. (os.time() - ctx.time)) end
            """])
        try folder.write("events.ndjson", #"{"type":"ADDED","object":\#(podJSON("a", rv: 1))}"#)
        for _ in 0..<2 {
            let output = HookOutput()
            let clock = VirtualClock(wallStart: 1_767_225_600 + 3600 + 45)  // 01:00:45
            let runtime = HookRuntime(root: folder.root, environment: output.environment(clock: clock))
            try await HookReplay.run(files: [folder.root + "/events.ndjson"], runtime: runtime, advance: .seconds(150))
            #expect(output.texts == ["add a 01:00:45", "tick 01:01:00 0", "tick 01:02:00 0", "timer a 01:02:15", "tick 01:03:00 0"])
        }
    }
}
