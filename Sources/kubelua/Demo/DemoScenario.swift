import FakeAPIServer
import Foundation
import Hooks
import Kube

/// The demo's story, played on the built-in API server: each step changes pods the way the
/// cluster would, then waits until the hooks have handled the change.
struct DemoScenario {
    /// Where the scenario's pods live (DemoPods creates them there).
    static let namespace = "default"
    let server: FakeAPIServer
    let daemon: HookDaemon

    func play() async throws {
        var changes = DemoChanges()
        try await step("a bare pod busybox runs `echo hello`") {
            changes.scenarioMade(try server.create(DemoPods.pod("busybox", command: ["echo", "hello"])))
        }
        try await step("busybox starts, finishes and is deleted") {
            _ = try server.setPhase(name: "busybox", "Running")
            _ = try server.setPhase(name: "busybox", "Succeeded")
            _ = try server.delete(name: "busybox")
        }
        let jobPod = "busybox-" + DemoPods.suffix(5)
        try await step("a Job busybox creates pod \(jobPod)") {
            changes.scenarioMade(try server.create(DemoPods.pod(jobPod, command: ["echo", "hello"], owner: ("batch/v1", "Job", "busybox"))))
            _ = try server.modify(name: jobPod) { DemoPods.schedule(&$0) }
        }
        try await step("the Job's pod completes; the Job is deleted with its pod") {
            _ = try server.setPhase(name: jobPod, "Succeeded")
            _ = try server.delete(name: jobPod)
        }
        let replicaSet = "nginx-deploy-" + DemoPods.suffix(10)
        let replicas = (0..<2).map { _ in replicaSet + "-" + DemoPods.suffix(5) }
        try await step("a Deployment nginx-deploy brings up 2 replicas") {
            for name in replicas {
                changes.scenarioMade(try server.create(DemoPods.pod(name, image: "nginx:1.27", owner: ("apps/v1", "ReplicaSet", replicaSet))))
            }
            for name in replicas { _ = try server.setPhase(name: name, "Running") }
        }
        // Names no hook file: the hooks may be the user's own.
        try await step("pod crashy crash-loops: its container restarts again and again") {
            changes.scenarioMade(try server.create(DemoPods.pod("crashy", command: ["sh", "-c", "exit 1"])))
            _ = try server.setPhase(name: "crashy", "Running")
            _ = try server.modify(name: "crashy") { DemoPods.crashLoop(&$0, restarts: 3) }
        }
        try await step("crashy fails") {
            _ = try server.setPhase(name: "crashy", "Failed")
        }
        writeLine("--- what the hooks changed in the cluster")
        let changed = changes.lines(on: server, namespace: Self.namespace)
        for line in changed { writeLine(line) }
        if changed.isEmpty { writeLine("nothing: no labels, annotations or Events") }
    }

    /// Plays one change, then waits until the hooks have handled it and what their own writes
    /// caused (a label a hook sets is another pod update).
    private func step(_ narration: String, _ change: () throws -> Void) async throws {
        writeLine("--- \(narration)")
        try change()
        var settled = ""
        while settled != server.currentResourceVersion {
            settled = server.currentResourceVersion
            await waitUntilHandled()
        }
    }

    /// Returns once the informer's cache holds the server's pods as they are now, the daemon has
    /// handed every event of it to the hooks, and the hooks have handled them. Polls every
    /// millisecond: the cache and the daemon's progress have no waiters.
    private func waitUntilHandled() async {
        let cache = daemon.runtime.cache
        while !cacheMatchesServer(cache) { try? await Task.sleep(for: .milliseconds(1)) }
        let through = cache.snapshot(namespace: Self.namespace).through
        while daemon.health.handedOver < through { try? await Task.sleep(for: .milliseconds(1)) }
        await daemon.runtime.waitUntilIdle()
    }

    /// Whether the cache has every pod of the scenario's namespace at the server's version, and no other.
    private func cacheMatchesServer(_ cache: PodCache) -> Bool {
        let served = server.pods.filter { $0.namespace == Self.namespace }.map { "\($0.name) \($0.resourceVersion)" }
        let cached = cache.pods(namespace: Self.namespace).map { "\($0.key.name) \($0.resourceVersion)" }
        return Set(served) == Set(cached)
    }
}
