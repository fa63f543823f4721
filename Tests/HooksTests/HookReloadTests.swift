import Foundation
import Hooks
import Kube
import Testing

@Suite(.timeLimit(.minutes(1))) struct HookReloadTests {
    let hello = "function on_add(pod, ctx) print('v1 ' .. pod.metadata.name .. (ctx.initial and ' initial' or '')) end"
    let helloAgain = "function on_add(pod, ctx) print('v2 ' .. pod.metadata.name .. (ctx.initial and ' initial' or '')) end"

    /// A first load that fails says nothing about a previous version; a reload that fails does.
    @Test func aFailedFirstLoadHasNoPreviousVersion() async throws {
        let folder = try HooksFolder(["default/h.lua": "function on_add(pod)\n  oops(\nend\n"])
        let runtime = HookRuntime(root: folder.root, environment: HookOutput().environment())
        let failure = try #require(try await runtime.loadAll().first)
        #expect(!failure.description.contains("previous version"))
    }

    @Test func editBreakFixAndDelete() async throws {
        let folder = try HooksFolder(["default/h.lua": hello])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        await runtime.feed([.added(pod("p", rv: 1))])
        await runtime.waitUntilIdle()

        // Edit: the new version starts from the current world.
        try folder.write("default/h.lua", helloAgain)
        let edited = try await runtime.reload()
        #expect(edited.loaded == ["default/h.lua"])
        await runtime.waitUntilIdle()
        #expect(output.texts == ["v1 p", "v2 p initial"])

        // Break: reported once, the previous version keeps running.
        try folder.write("default/h.lua", "function on_add(pod)\n  oops(\nend\n")
        let broken = try await runtime.reload()
        #expect(broken.failures.count == 1)
        #expect(broken.failures.first?.error.location?.line == 3)
        #expect(broken.failures.first?.description.hasSuffix("; the previous version keeps running") == true)
        #expect(try await runtime.reload().failures.isEmpty)
        await runtime.feed([.added(pod("q", rv: 2))])
        await runtime.waitUntilIdle()
        #expect(output.texts.last == "v2 q")

        // Fix, then delete.
        try folder.write("default/h.lua", hello)
        #expect(try await runtime.reload().loaded == ["default/h.lua"])
        try FileManager.default.removeItem(atPath: folder.root + "/default/h.lua")
        #expect(try await runtime.reload().removed == ["default/h.lua"])
        #expect(await runtime.loadedHooks.isEmpty)
    }

    @Test func aNewFolderChangesTheWatchesAndGetsTheWorldInItsScope() async throws {
        let folder = try HooksFolder(["default/h.lua": hello])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        #expect(await runtime.layout?.queries() == [PodQuery(namespace: "default")])
        await runtime.feed([.added(pod("p", rv: 1)), .added(pod("s", namespace: "staging", rv: 2))])
        await runtime.waitUntilIdle()

        try folder.write("staging/s.lua", "function on_add(pod, ctx) print('staging ' .. pod.metadata.name .. (ctx.initial and ' initial' or '')) end")
        let reload = try await runtime.reload()
        #expect(reload.watchesChanged)
        #expect(await runtime.layout?.queries() == [PodQuery(namespace: "default"), PodQuery(namespace: "staging")])
        await runtime.waitUntilIdle()
        #expect(output.texts.contains("staging s initial"))

        try folder.write("_all/a.lua", "function on_add() end")
        #expect(try await runtime.reload().watchesChanged)
        #expect(await runtime.layout?.queries() == [PodQuery()])
    }

    /// The informer's cache runs ahead of dispatching when hooks lag: a version loaded then starts
    /// from the cache as it is, and the events already in that world do not reach it again.
    @Test func aNewVersionSkipsTheEventsItsWorldAlreadyShows() async throws {
        let update = "\nfunction on_update(old, new) print('update ' .. new.metadata.name .. ' ' .. new.metadata.resourceVersion) end"
        let folder = try HooksFolder(["default/h.lua": hello + update])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        await runtime.feed([.added(pod("p", rv: 1))])
        await runtime.waitUntilIdle()

        let lagging = runtime.cache.update { $0.apply(.modified(pod("p", rv: 2))) + $0.apply(.added(pod("q", rv: 3))) }
        try folder.write("default/h.lua", helloAgain + update)
        #expect(try await runtime.reload().loaded == ["default/h.lua"])
        runtime.dispatch(lagging)
        await runtime.feed([.modified(pod("q", rv: 4))])
        await runtime.waitUntilIdle()
        // Once each, q's update after q's add; pods have no order between them (q's update
        // draws q's add ahead of p's when p's is not drawn yet).
        #expect(output.texts.count == 4 && output.texts.first == "v1 p")
        #expect(Set(output.texts) == ["v1 p", "v2 p initial", "v2 q initial", "update q 4"])
        #expect(output.texts.firstIndex(of: "v2 q initial")! < output.texts.firstIndex(of: "update q 4")!)
    }

    /// Routing does not go through the runtime's actor, so a reload can come between two batches
    /// of a consumer that keeps dispatching: the new version starts from the world as the reload
    /// found it, then gets every later event exactly once, in order.
    @Test func aVersionLoadedWhileEventsFlowMissesNoneAndRepeatsNone() async throws {
        let folder = try HooksFolder(["default/h.lua": "function on_update(old, new) end"])
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        runtime.dispatch(runtime.cache.update { $0.apply(.added(pod("p", rv: 1))) })
        let last = 1_000
        let consumer = Task {
            for rv in 2...last {
                runtime.dispatch(runtime.cache.update { $0.apply(.modified(pod("p", rv: rv))) })
                await Task.yield()
            }
        }
        try folder.write("default/h.lua", """
            function on_add(pod) print('add ' .. pod.metadata.resourceVersion) end
            function on_update(old, new) print('update ' .. new.metadata.resourceVersion) end
            """)
        #expect(try await runtime.reload().loaded == ["default/h.lua"])
        await consumer.value
        await runtime.waitUntilIdle()

        let lines = output.texts
        let start = try #require(lines.first.flatMap { Int($0.dropFirst("add ".count)) }, "\(lines.prefix(1))")
        let updates = lines.dropFirst().compactMap { $0.hasPrefix("update ") ? Int($0.dropFirst("update ".count)) : nil }
        #expect(updates.count == lines.count - 1, "only updates follow the add")
        #expect(updates.count == last - start, "each update after the world once: \(updates.count) for \(last - start)")
        #expect(zip(updates, updates.dropFirst()).allSatisfy { $1 == $0 + 1 }, "in order, none missing")
        #expect(updates.first.map { $0 == start + 1 } ?? true, "the first update follows the world: \(updates.prefix(1)) after \(start)")
    }

    @Test func configMapStyleSymlinkSwapsAreFollowed() async throws {
        let folder = try HooksFolder([:])
        let mount = folder.root + "/default"
        try FileManager.default.createDirectory(atPath: mount + "/..2026_01", withIntermediateDirectories: true)
        try Data(hello.utf8).write(to: URL(fileURLWithPath: mount + "/..2026_01/h.lua"))
        try FileManager.default.createSymbolicLink(atPath: mount + "/..data", withDestinationPath: "..2026_01")
        try FileManager.default.createSymbolicLink(atPath: mount + "/h.lua", withDestinationPath: "..data/h.lua")
        let output = HookOutput()
        let runtime = HookRuntime(root: folder.root, environment: output.environment())
        try await runtime.loadAll()
        #expect(await runtime.loadedHooks == ["default/h.lua"])

        // The kubelet writes a new timestamped folder and swaps ..data in one rename.
        try FileManager.default.createDirectory(atPath: mount + "/..2026_02", withIntermediateDirectories: true)
        try Data(helloAgain.utf8).write(to: URL(fileURLWithPath: mount + "/..2026_02/h.lua"))
        try FileManager.default.createSymbolicLink(atPath: mount + "/..data_tmp", withDestinationPath: "..2026_02")
        #expect(rename(mount + "/..data_tmp", mount + "/..data") == 0)
        #expect(try await runtime.reload().loaded == ["default/h.lua"])
        await runtime.feed([.added(pod("p", rv: 1))])
        await runtime.waitUntilIdle()
        #expect(output.texts == ["v2 p"])
    }

    @Test func theMonitorSignalsAChangeWithoutWaitingForThePollInterval() async throws {
        let folder = try HooksFolder(["default/h.lua": hello])
        let monitor = HookFolderMonitor(root: folder.root, pollInterval: .seconds(3600), settle: .milliseconds(1))
        defer { monitor.stop() }
        var changes = monitor.changes.makeAsyncIterator()
        try folder.write("default/h.lua", helloAgain)
        #expect(await changes.next() != nil)
    }
}
