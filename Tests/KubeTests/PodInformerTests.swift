import FakeAPIServer
import Selectors
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

/// The cache's read view: what the `kube` helper reads without a request.
@Suite struct PodCacheViewTests {
    static func record(_ name: String, namespace: String = "default", labels: [String: String], rv: Int) throws -> PodRecord {
        let labelJSON = labels.isEmpty ? "" : ",\"labels\":{" + labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        return try PodRecord.scan(Array(#"{"metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"u-\#(name)","resourceVersion":"\#(rv)"\#(labelJSON)}}"#.utf8))
    }

    @Test func getListByNamespaceAndSelectorAndCount() throws {
        let cache = PodCache()
        let pods = [
            try Self.record("web-1", labels: ["app": "web", "tier": "front"], rv: 1),
            try Self.record("web-2", labels: ["app": "web", "tier": "db"], rv: 2),
            try Self.record("db-1", labels: ["app": "db"], rv: 3),
            try Self.record("web-3", namespace: "staging", labels: ["app": "web"], rv: 4),
            try Self.record("bare", labels: [:], rv: 5),
        ]
        _ = cache.update { store in pods.flatMap { store.apply(.added($0)) } }

        #expect(cache.count() == 5)
        #expect(cache.count(namespace: "default") == 4)
        #expect(cache.pod(PodKey(namespace: "staging", name: "web-3"))?.resourceVersion == "4")
        #expect(cache.pod(PodKey(namespace: "default", name: "web-3")) == nil)
        #expect(cache.pods(namespace: "default").map(\.key.name) == ["bare", "db-1", "web-1", "web-2"])
        #expect(cache.pods(labels: try LabelSelector(parsing: "app=web")).map(\.key.description) == ["default/web-1", "default/web-2", "staging/web-3"])
        #expect(cache.pods(namespace: "default", labels: try LabelSelector(parsing: "app=web,tier!=db")).map(\.key.name) == ["web-1"])
        #expect(cache.pods(labels: try LabelSelector(parsing: "!app")).map(\.key.name) == ["bare"])
        #expect(cache.pods(labels: try LabelSelector(parsing: "app in (db, cache)")).map(\.key.name) == ["db-1"])
        #expect(pods[1].labels == ["app": "web", "tier": "db"])
    }
}
