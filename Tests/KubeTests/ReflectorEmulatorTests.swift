import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// API emulators that leave out `metadata.resourceVersion` or `metadata.uid` (of pods, of lists):
/// accepted, every event of a versionless pod delivered, one warning per reflector run.
@Suite(.timeLimit(.minutes(1)))
struct ReflectorEmulatorTests {
    static let warning = "the API server leaves out"

    func warnings(_ h: ReflectorHarness) -> Int {
        h.log.text.split(separator: "\n").filter { $0.hasPrefix("warning") && $0.contains(Self.warning) }.count
    }

    @Test("no resourceVersion or uid anywhere: adds, an update for every event, deletes; watches from \"\"; one warning")
    func podsAndListsWithoutVersionsOrUIDs() async throws {
        try await withReflectorHarness({ $0.omittedMetadata = [.objectResourceVersion, .objectUID, .listResourceVersion] }) { h in
            try h.server.createPod(name: "a")
            try h.server.createPod(name: "b")
            // The first watch ends after the synthetic ADDEDs and four changes: a's three, b's delete.
            h.server.inject(.closeAfter(events: 6), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            #expect(try await h.request(.watch, 1).query("resourceVersion") == nil, "no version known: watch from now")
            // The watch from "" replays the pods as ADDED; once they are in, the watch is subscribed.
            await h.waitForEvents(4)

            // Touches change nothing the client sees but the (omitted) version: each is still an update.
            for _ in 0..<3 { try h.server.touch(name: "a") }
            try h.server.delete(name: "b")
            // The second watch starts from "" again (no version was ever known) and replays a as ADDED.
            #expect(try await h.request(.watch, 2).query("resourceVersion") == nil)
            let events = await h.waitForEvents(2 + 2 + 3 + 1 + 1)
            #expect(h.briefs == [
                "add a initial", "add b initial", "synced",
                // The synthetic ADDEDs of the first watch (from "") for pods known: versionless, so updates.
                "update a Pending", "update b Pending",
                "update a Pending", "update a Pending", "update a Pending", "delete b",
                "update a Pending",
            ])
            #expect(events.allSatisfy { $0.pod.resourceVersion.isEmpty && $0.pod.uid.isEmpty })
            #expect(h.requests(.list).count == 1, "no relist")
            #expect(warnings(h) == 1)
        }
    }

    @Test("a list without resourceVersion, versioned pods: the watch resumes from the last version an event carried")
    func listsWithoutVersions() async throws {
        try await withReflectorHarness({ $0.omittedMetadata = [.listResourceVersion] }) { h in
            let a = try h.server.createPod(name: "a")
            // The first watch (from "": no version known) replays a as ADDED, then ends.
            h.server.inject(.closeAfter(events: 1), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            #expect(try await h.request(.watch, 1).query("resourceVersion") == nil)
            #expect(try await h.request(.watch, 2).query("resourceVersion") == a.resourceVersion)
            try h.server.delete(name: "a")
            await h.waitForEvents(2)
            // The replayed ADDED of a pod already listed at the same version is nothing.
            #expect(h.briefs == ["add a initial", "synced", "delete a"])
            #expect(h.requests(.list).count == 1, "no relist")
            #expect(warnings(h) == 1)
        }
    }

    @Test("a relist without resourceVersion keeps the version the cache had")
    func relistWithoutVersionKeepsTheLastOne() {
        let tests = ReflectorStateMachineTests()
        var m = tests.synced([pod("a", rv: "1")], rv: "10")
        _ = m.watchFailed(.status(APIStatus(code: 410)))
        let actions = m.listPageReceived(tests.page([pod("a", rv: "1")], rv: ""))
        #expect(actions.first.map { if case .warn = $0 { true } else { false } } == true)
        #expect(actions.last == .watch(.init(resourceVersion: "10", timeoutSeconds: 300)))
        #expect(m.lastResourceVersion == "10")
    }

    @Test("a versionless pod is an update on every event and a listing; the warning comes once")
    func versionlessPodsAlwaysChange() throws {
        let tests = ReflectorStateMachineTests()
        let bare = try PodRecord.scan(Array(#"{"metadata":{"name":"a","namespace":"default"},"status":{"phase":"Running"}}"#.utf8))
        #expect(!bare.isVersioned && bare.uid.isEmpty)
        var m = tests.machine()
        _ = m.start()
        let listed = m.listPageReceived(tests.page([bare], rv: "5"))
        #expect(listed.filter { if case .warn = $0 { true } else { false } }.count == 1)
        #expect(m.watchEventReceived(.modified(bare)) == [.deliver([.update(bare, bare, at: "")])])
        #expect(m.watchEventReceived(.added(bare)) == [.deliver([.update(bare, bare, at: "")])])
        #expect(m.lastResourceVersion == "5", "an event without a version does not move it")
        _ = m.watchFailed(.status(APIStatus(code: 410)))
        #expect(m.listPageReceived(tests.page([bare], rv: "6")).first == .deliver([.update(bare, bare, at: "6")]))
        #expect(m.watchEventReceived(.deleted(bare)) == [.deliver([.delete(bare, tombstone: false, at: "")])])
    }
}
