import FakeAPIServer
import Testing
@testable import Kube

/// What reflectors report for monitoring, over real HTTP to the fake API server: each relist and
/// rewatch with its reason, each list applied, and why an informer's watches start.
@Suite(.timeLimit(.minutes(1)))
struct ReflectorReportTests {
    @Test("a watch the server ends after an event is reported as a rewatch (closed), without a relist")
    func serverClosedWatchIsARewatch() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(.closeAfter(events: 1), on: .watch, .nth(1))
            try h.startReflector()
            await h.waitForSynced()
            try h.server.setPhase(name: "a", "Running")
            _ = try await h.request(.watch, 2)
            #expect(h.reports.all.map(\.report) == [.relisting(.start), .listed, .rewatching(.closed)])
            #expect(h.requests(.list).count == 1)
        }
    }

    @Test("a 410 on the watch is reported as a relist (gone), and its list as applied")
    func goneIsARelist() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(.errorEvent(code: 410), on: .watch, .nth(1))
            try h.startReflector()
            _ = try await h.request(.watch, 2)
            #expect(h.reports.all.map(\.report) == [.relisting(.start), .listed, .relisting(.gone), .listed])
            #expect(h.requests(.list).count == 2)
        }
    }

    @Test("a throttled watch is a rewatch (error); a 500 on the watch is a relist (error)")
    func failedWatchesSayWhetherTheyRelist() async throws {
        try await withReflectorHarness { h in
            try h.server.createPod(name: "a")
            h.server.inject(.refuse(code: 429), on: .watch, .nth(1))
            h.server.inject(.status(code: 500), on: .watch, .nth(2))
            try h.startReflector()
            _ = try await h.request(.watch, 3)
            #expect(h.reports.all.map(\.report) == [
                .relisting(.start), .listed, .requestFailed(.watch, reason: "TooManyRequests"), .rewatching(.error),
                .requestFailed(.watch, reason: "InternalError"), .relisting(.error), .listed,
            ])
            #expect(h.requests(.list).count == 2)
        }
    }

    @Test("an informer's first watches start for `start`; those its queries add later for `queries_changed`")
    func informerWatchesSayWhyTheyStart() async throws {
        try await withReflectorHarness { h in
            let informer = try await h.startInformer(queries: [PodQuery(namespace: "default")])
            await h.waitForSynced()
            await informer.watch([PodQuery(namespace: "default"), PodQuery(namespace: "staging")])
            _ = await h.server.waitForRequest { $0.kind == .watch && $0.path.contains("/staging/") }
            let relists = h.reports.all.compactMap { report -> String? in
                guard case .relisting(let reason) = report.report else { return nil }
                return "\(report.query.namespace ?? "all") \(reason.rawValue)"
            }
            #expect(relists == ["default start", "staging queries_changed"])
        }
    }
}
