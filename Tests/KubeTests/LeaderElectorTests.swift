import FakeAPIServer
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import Kube

/// `LeaderElector` against the fake API server over real HTTP, time standing still: what it
/// writes into the Lease, and two candidates starting together.
@Suite(.timeLimit(.minutes(1)))
struct LeaderElectorTests {
    /// A clock that never moves: a wake-up waits until the elector is cancelled or stops.
    static let frozen = ElectionClock(now: { 5_000_000_000 }, wallSeconds: { 1_767_225_600.25 }, sleep: { _ in
        try await Task.sleep(for: .seconds(3600))
    })

    /// An elector named `identity`, and the changes it reports, in order.
    static func elector(_ identity: String, server: FakeAPIServer) throws -> (LeaderElector, Recorder<Leadership.Change>) {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let changes = Recorder<Leadership.Change>()
        let elector = LeaderElector(
            client: client, namespace: "kubelua", name: "kubelua", identity: identity, clock: frozen, logger: logger, observe: changes.append)
        return (elector, changes)
    }

    @Test func twoCandidatesStartingTogetherElectOneWhichWritesTheLeaseAsClientGoDoesAndReleasesItOnStop() async throws {
        let server = FakeAPIServer()
        try await server.start()
        let (a, aChanges) = try Self.elector("a", server: server)
        let (b, bChanges) = try Self.elector("b", server: server)
        let electors = [a, b]
        let group = ServiceGroup(configuration: .init(services: electors, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        var elected = ""
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            elected = try #require(await server.waitForLeaseHolderChange { $0.holder != nil }?.holder)
            let lease = try #require(server.object(.leases, namespace: "kubelua", name: "kubelua"))
            let spec = try #require(lease["spec"] as? [String: Any])
            #expect(spec["holderIdentity"] as? String == elected)
            #expect(spec["leaseDurationSeconds"] as? Int == 15)
            #expect(spec["acquireTime"] as? String == "2026-01-01T00:00:00.250000Z")
            #expect(spec["renewTime"] as? String == "2026-01-01T00:00:00.250000Z")
            #expect(spec["leaseTransitions"] as? Int == 0)
            await group.triggerGracefulShutdown()
        }
        // One leader, ever; it released the lease on stop. The other never led.
        #expect(server.leaseHolderChanges.map(\.holder) == [elected, nil])
        let (leader, other) = elected == "a" ? (aChanges, bChanges) : (bChanges, aChanges)
        #expect(leader.all == [.started, .stopped(.released)])
        #expect(other.all.isEmpty)
        let released = try #require(server.object(.leases, namespace: "kubelua", name: "kubelua")?["spec"] as? [String: Any])
        #expect(released["holderIdentity"] as? String == "" && released["leaseDurationSeconds"] as? Int == 1)
        #expect(electors.allSatisfy { !$0.leadership.isLeading })
        for elector in electors { try await elector.client.shutdown() }
        try await server.shutdown()
    }

    @Test func leaseTimesAreMicroTimeAndAnyRFC3339TimeReads() {
        let date = Date(timeIntervalSince1970: 1_767_225_600.123456)
        #expect(MicroTime.format(date) == "2026-01-01T00:00:00.123456Z")
        #expect(MicroTime.parse("2026-01-01T00:00:00.123456Z").map { abs($0.timeIntervalSince(date)) < 1e-6 } == true)
        #expect(MicroTime.parse("2026-01-01T01:00:00+01:00") == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(MicroTime.parse("2026-01-01T00:00:00Z") == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(MicroTime.parse("yesterday") == nil)
    }

    @Test func aWriteKeepsTheLabelsAndAnnotationsOthersPutOnTheLease() throws {
        let json = Array(#"{"metadata":{"name":"kubelua","namespace":"kubelua","resourceVersion":"7","labels":{"team":"ops"},"annotations":{"note":"x"}},"spec":{"holderIdentity":"a","leaseDurationSeconds":15}}"#.utf8)
        var lease = try #require(Lease(json: json))
        #expect(lease.observed == ObservedLease(record: LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15), resourceVersion: "7"))
        lease.record.holderIdentity = "b"
        let written = try #require(Lease(json: lease.json))
        #expect(written.labels == ["team": "ops"] && written.annotations == ["note": "x"] && written.record.holder == "b" && written.resourceVersion == "7")
    }
}
