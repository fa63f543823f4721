import Hooks
import Lua
import PrometheusText
import Testing

/// `kubelua_backlog_oldest_seconds` over real HTTP: how long the oldest event a hook has not
/// finished has waited, read when scraped (the listener's clock is moved, never waited on).
@Suite(.timeLimit(.minutes(1)))
struct BacklogAgeMetricTests {
    @Test func aHookThatIsBehindShowsItsOldestEventsAgeAndOneThatIsNotShowsZero() async throws {
        let blocker = ThreadBlocker(bound: 50)
        let stuck = "default/a_stuck.lua", fine = "default/b_fine.lua"
        // Two threads, hooks placed round robin in name order: the blocked one holds only its own.
        let setup = try await ObservedDaemon(
            hooks: [
                stuck: "function on_add(pod) if pod.metadata.name == 'one' then block.hold('stuck') end end",
                fine: "function on_add(pod) print('fine ' .. pod.metadata.name) end",
            ],
            pods: ["one", "two"], modules: { _ in [blocker.module] },
            sandbox: LuaSandbox(limits: LuaSandboxLimits(timePerCall: nil)), threads: LuaThreadPool(threads: 2))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await setup.listenerGroup.run() }
            tasks.addTask { try await setup.daemonGroup.run() }
            let port = await setup.port()
            for await _ in blocker.arrived { break }
            var lines = setup.output.stream.makeAsyncIterator()
            var fineSeen: Set<String> = []
            while fineSeen.count < 2, let line = await lines.next() { fineSeen.insert(line.text) }
            #expect(fineSeen == ["fine one", "fine two"])

            // The clock the listener reads moves a minute on: the stuck hook's adds came at least
            // that long ago; the other hook has nothing left.
            setup.advanceClock(seconds: 60)
            let behind = try await setup.scrape(port: port)
            #expect((behind.value("kubelua_backlog_oldest_seconds", ["hook": stuck]) ?? 0) >= 60)
            #expect(behind.value("kubelua_backlog_oldest_seconds", ["hook": fine]) == 0)
            #expect(behind.value("kubelua_backlog_calls", ["hook": stuck]) == 2)
            #expect(behind.types["kubelua_backlog_oldest_seconds"] == "gauge")

            blocker.release("stuck")
            for await _ in setup.synced { break }
            let caughtUp = try await setup.scrape(port: port)
            #expect(caughtUp.value("kubelua_backlog_oldest_seconds", ["hook": stuck]) == 0)
            #expect(caughtUp.value("kubelua_backlog_calls", ["hook": stuck]) == 0)
            try await setup.stop()
        }
        try await setup.shutdown()
    }
}
