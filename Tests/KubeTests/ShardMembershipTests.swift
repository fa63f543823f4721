import FakeAPIServer
import Foundation
import Logging
import Synchronization
import Testing

@testable import Kube

/// `ShardMembership` against the fake API server over real HTTP: what it deletes of the member
/// Leases it lists. `ShardedDaemonTests` covers how shards move between replicas.
@Suite(.timeLimit(.minutes(1)))
struct ShardMembershipTests {
    @Test func theMemberLeaseOfAReplicaGoneForAnHourIsDeletedAtTheVersionListedAndNoOtherLease() async throws {
        let server = FakeAPIServer()
        try await server.start()
        for (name, holder) in [("kubelua-member-gone", "gone"), ("kubelua-member-a", "a"), ("other-app", "x")] {
            _ = try server.createObject(.leases, [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": name, "namespace": "kubelua"],
                "spec": ["holderIdentity": holder, "leaseDurationSeconds": 15],
            ])
        }
        let listedVersion = (server.object(.leases, namespace: "kubelua", name: "kubelua-member-gone")?["metadata"] as? [String: Any])?["resourceVersion"] as? String
        // A clock on which every wake-up comes an hour late: the second round finds the
        // Leases nobody renewed unchanged for longer than `forgetAfter`.
        let now = Mutex<UInt64>(0)
        let clock = ElectionClock(now: { now.withLock { $0 } }, wallSeconds: { 1_767_225_600 }, sleep: { instant in
            try Task.checkCancellation()
            now.withLock { $0 = instant + ShardMembershipStateMachine.forgetAfter }
            await Task.yield()
        })
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = try KubeClient(connection: KubeConnection(server: URL(string: server.baseURL)!, origin: "test"), logger: logger)
        let membership = ShardMembership(client: client, namespace: "kubelua", id: "kubelua", identity: "a", shardCount: 2, clock: clock, logger: logger)
        let running = Task { await membership.run() }
        let deleted = await server.waitForLeaseHolderChange { $0.name == "kubelua-member-gone" && $0.holder == nil }
        running.cancel()
        await running.value
        #expect(deleted?.previousHolder == "gone")
        let deletions = server.deletions.filter { $0.resource == "leases" }
        #expect(deletions.map(\.name) == ["kubelua-member-gone"])
        #expect(deletions.first?.preconditionResourceVersion == listedVersion && listedVersion != nil)
        // This replica's own member Lease, and a Lease that is no member's, stay.
        #expect(server.objects(.leases, namespace: "kubelua").compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }.sorted() == [
            "kubelua-member-a", "other-app",
        ])
        try await client.shutdown()
        try await server.shutdown()
    }
}
