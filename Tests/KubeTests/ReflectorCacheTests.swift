import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// Fault matrix rows about what the cache makes of events: selectors, and events that
/// disagree with what it holds.
@Suite(.timeLimit(.minutes(1)))
struct ReflectorCacheTests {
    @Test("row 18: a pod that stops matching the label selector is deleted; one that starts matching is added")
    func labelSelectorTransitions() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a", labels: ["app": "web"])
            try h.server.createPod(name: "b", labels: ["app": "db"])
            try h.startReflector(query: PodQuery(namespace: "default", labelSelector: "app=web"))
            await h.waitForSynced()
            try h.server.setLabels(name: "a", ["app": "db"])
            try h.server.setLabels(name: "b", ["app": "web"])

            await h.waitForEvents(3)
            #expect(h.briefs == ["add a initial", "synced", "delete a", "add b"])
            #expect(h.server.requests.allSatisfy { $0.query("labelSelector") == "app=web" })
        }
    }

    @Test("row 18: a pod that stops matching while disconnected is a tombstone on the relist")
    func labelSelectorTransitionMissedDuringADisconnect() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a", labels: ["app": "web"])
            try h.server.createPod(name: "c", labels: ["app": "web"])
            h.server.inject(.closeAfter(events: 1), on: .watch, .nth(1))
            h.server.inject(.errorEvent(code: 410), on: .watch, .nth(2))
            try h.startReflector(query: PodQuery(namespace: "default", labelSelector: "app=web"))
            await h.waitForSynced()
            try h.server.setPhase(name: "c", "Running")
            try h.server.setLabels(name: "a", ["app": "db"])

            _ = try await h.request(.watch, 3)
            #expect(h.briefs == ["add a initial", "add c initial", "synced", "update c Running", "delete a tombstone"])
            #expect(h.server.requests.allSatisfy { $0.query("labelSelector") == "app=web" })
        }
    }

    @Test("row 19: ADDED for a known key is an update, MODIFIED for an unknown key an add, DELETED for an unknown key nothing")
    func eventTypesAreMappedFromTheCache() async throws {
        try await withReflectorHarness { h in
            let a = try h.server.createPod(name: "a")
            try h.server.createPod(name: "b")
            let listed = h.server.currentResourceVersion
            h.server.inject(.combined([
                .event(type: "ADDED", object: podBytes("a", uid: a.uid, rv: listed, phase: "Running"), afterEvents: 0),
                .event(type: "MODIFIED", object: podBytes("c", uid: "uid-c", rv: listed, phase: "Pending"), afterEvents: 0),
                .event(type: "DELETED", object: podBytes("z", uid: "uid-z", rv: listed, phase: "Pending"), afterEvents: 0),
            ]), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            try h.server.setPhase(name: "b", "Running")

            let events = await h.waitForEvents(5)
            #expect(h.briefs == ["add a initial", "add b initial", "synced", "update a Running", "add c", "update b Running"])
            #expect(events[2].old?.phase == "Pending")
        }
    }

    @Test("a watch event naming a known key with a new UID is never an update: delete(old) then add(new)")
    func newUIDOnTheWatchIsDeleteThenAdd() async throws {
        try await withReflectorHarness { h in
            let a = try h.server.createPod(name: "a")
            let listed = h.server.currentResourceVersion
            h.server.inject(.event(type: "MODIFIED", object: podBytes("a", uid: "uid-new", rv: listed, phase: "Running"), afterEvents: 0),
                            on: .watch, .nth(1))
            try h.startReflector()
            let events = await h.waitForEvents(3)
            #expect(h.briefs == ["add a initial", "synced", "delete a tombstone", "add a"])
            #expect(events[1].pod.uid == a.uid)
            #expect(events[2].pod.uid == "uid-new")
        }
    }

    @Test("a DELETED for a known key with another UID: the cached pod is a tombstone, the unseen one nothing")
    func deletedWithAnotherUIDTombstonesTheCachedPod() async throws {
        try await withReflectorHarness { h in
            let a = try h.server.createPod(name: "a")
            let listed = h.server.currentResourceVersion
            h.server.inject(.event(type: "DELETED", object: podBytes("a", uid: "uid-unseen", rv: listed, phase: "Running"), afterEvents: 0),
                            on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            try h.server.createPod(name: "b")
            let events = await h.waitForEvents(3)
            #expect(h.briefs == ["add a initial", "synced", "delete a tombstone", "add b"])
            #expect(events[1].pod.uid == a.uid, "the delete carries the last state handlers saw")
        }
    }
}

/// A pod object for injected events.
func podBytes(_ name: String, uid: String, rv: String, phase: String) -> [UInt8] {
    Array(podJSON(name, uid: uid, resourceVersion: rv, phase: phase).utf8)
}
