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
            try h.startInformer(queries: namespaces.map { PodQuery(namespace: $0) })
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
}
