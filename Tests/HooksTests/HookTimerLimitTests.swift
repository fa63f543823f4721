import Foundation
@testable import Hooks
import Kube
import Testing

/// The bound on a hook's pending timers, through a Lua hook on the runtime with a virtual clock:
/// arming one past it raises at the script's line, and the timers armed before it still fire.
@Suite(.timeLimit(.minutes(1)))
struct HookTimerLimitTests {
    @Test func armingOneTimerPastTheBoundRaisesAtTheLineAndTheArmedOnesStillFire() async throws {
        // The bound is 10,000 in `run`; a small one keeps the test quick on a loaded machine.
        let limit = 200
        let folder = try HooksFolder(["default/many.lua": """
            local fired = 0
            function on_add(pod)
              timer.after(pod, "1m")
            end
            function on_update(old, new)
              timer.after(new, "1m")
            end
            function on_timer(pod)
              fired = fired + 1
              if fired == \(limit) then print("fired " .. fired) end
              if pod.metadata.name == "late" then print("late fired as timer " .. fired) end
            end
            """])
        let clock = VirtualClock()
        let output = HookOutput()
        var environment = output.environment(clock: clock)
        environment.timerLimit = limit
        let runtime = HookRuntime(root: folder.root, environment: environment)
        try await runtime.loadAll()
        var lines = HookSettingsDaemonTests.Lines(output)

        // Pods take turns in the order they came: the last one's timer is one too many.
        await runtime.feed((0...limit).map { .added(pod("p\($0)", rv: $0 + 1)) })
        await runtime.waitUntilIdle()
        #expect(output.failures.count == 1)
        let failure = try #require(output.failures.first)
        #expect(failure.pod == PodKey(namespace: "default", name: "p\(limit)") && failure.handler == "on_add")
        #expect(failure.error.message.hasSuffix(
            "default/many.lua:3: timer.after: this hook has \(limit) timers pending, the most a hook may have (cancel some with timer.cancel, or use a schedule)"),
            "\(failure.error.message)")

        // At the bound, a pod that has a timer may still move it: that arms no new one.
        await runtime.feed([.modified(pod("p0", rv: limit + 2))])
        await runtime.waitUntilIdle()
        #expect(output.failures.count == 1)

        clock.advance(by: .seconds(60))
        #expect(await lines.through("fired \(limit)") == ["fired \(limit)"])
        // Once they have fired there is room again; the next timer is the first past them, so
        // none fired twice and the refused one never fired.
        await runtime.feed([.added(pod("late", rv: limit + 3))])
        await runtime.waitUntilIdle()
        clock.advance(by: .seconds(60))
        #expect(await lines.through("late fired as timer \(limit + 1)") == ["late fired as timer \(limit + 1)"])
        #expect(output.failures.count == 1)
    }
}
