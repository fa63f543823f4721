import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// The informer: several reflectors over one client, as `kubelua events -n a -n b ...` runs.
@Suite(.timeLimit(.minutes(1)))
struct PodInformerTests {
    @Test("every namespace syncs and keeps watching, even with more watches than pooled connections")
    func manyNamespacesOverOneClient() async throws {
        // More than async-http-client's default of 8 connections per host: each watch holds one.
        let namespaces = (0..<12).map { "ns\($0)" }
        try await withReflectorHarness { h in
            for namespace in namespaces { try h.server.createPod(namespace: namespace, name: "a") }
            try await h.startInformer(queries: namespaces.map { PodQuery(namespace: $0) })
            await h.timeline.wait { $0.count { if case .delivered(.synced) = $0 { true } else { false } } == namespaces.count }
            for namespace in namespaces { _ = await h.server.waitForRequest { $0.kind == .watch && $0.path.contains("/\(namespace)/") } }
            for namespace in namespaces { try h.server.setPhase(namespace: namespace, name: "a", "Running") }

            let events = await h.waitForEvents(2 * namespaces.count)
            #expect(Set(events.filter { $0.kind == .update }.map(\.pod.key.namespace)) == Set(namespaces))
            #expect(events.filter { $0.kind == .add && $0.initial }.count == namespaces.count)
            #expect(h.requests(.list).count == namespaces.count)
            #expect(h.delays.isEmpty)
        }
    }

    @Test("queries that change while the informer runs: no pod twice, none lost, one cache")
    func queriesChangeUnderARunningInformer() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(namespace: "default", name: "a")
            try h.server.createPod(namespace: "staging", name: "b")
            let informer = try await h.startInformer(queries: [PodQuery(namespace: "default")])
            await h.waitForSynced()

            // One watch of all namespaces replaces the namespace's: its list brings b, not a again.
            await informer.watch([PodQuery()])
            await h.timeline.wait { $0.count { if case .delivered(.synced) = $0 { true } else { false } } == 2 }
            _ = await h.server.waitForRequest { $0.kind == .watch && !$0.path.contains("/namespaces/") }
            try h.server.setPhase(namespace: "default", name: "a", "Running")
            await h.waitForEvents(3)
            #expect(h.briefs == ["add a initial", "synced", "add staging/b initial", "synced", "update a Running"])
            #expect(informer.cache.count() == 2)

            // Back to one namespace: the pods no watch covers leave the cache, without events.
            await informer.watch([PodQuery(namespace: "staging")])
            #expect(informer.cache.pods().map(\.key) == [PodKey(namespace: "staging", name: "b")])
            await h.timeline.wait { $0.count { if case .delivered(.synced) = $0 { true } else { false } } == 3 }
            _ = await h.server.waitForRequest { $0.kind == .watch && $0.path.contains("/staging/") }
            try h.server.createPod(namespace: "staging", name: "c")
            try h.server.setPhase(namespace: "default", name: "a", "Succeeded")
            await h.waitForEvents(4)
            #expect(h.briefs.suffix(2) == ["synced", "add staging/c"])
            #expect(informer.cache.count(namespace: "staging") == 2)
            #expect(await informer.queries == [PodQuery(namespace: "staging")])
        }
    }
}
