import FakeAPIServer
import Foundation
@testable import Hooks
import Kube
import Testing

/// Phase memory spread over ConfigMaps (`kubelua run` with a cluster), against the fake API
/// server over real HTTP: 50,000 pods come back after a restart with every ConfigMap under the
/// 1 MiB an object may hold, a change rewrites only its shard, a conflict on one shard is
/// written over, a re-spread cut short loses nothing, and the document of the version before
/// shards still loads.
@Suite(.timeLimit(.minutes(2)))
struct HookStatePhaseShardTests {
    typealias Cluster = StateCluster
    /// Pods enough for their memory to take two shards.
    static let severalShards = 13_000
    static let inCluster: @Sendable (KubeClient, String) -> any HookStateBackend = { ConfigMapStateBackend(client: $0, namespace: "default", hook: $1) }

    /// Where a test keeps the state: ConfigMaps of the fake server, or files (`--state-dir`).
    enum Keeping: CaseIterable, Sendable { case configMaps, files }

    @Test(arguments: Keeping.allCases)
    func fiftyThousandRememberedPodsComeBackAfterARestart(keptIn keeping: Keeping) async throws {
        let cluster = try await Cluster.start()
        let directory = NSTemporaryDirectory() + "kubelua-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = {
            guard keeping == .files else { return try await cluster.store() }
            let store = HookStateStore(hook: Cluster.hook, backend: FileStateBackend(directory: directory, hook: Cluster.hook))
            #expect(try await store.load())
            return store
        }
        let count = 50_000
        try await Cluster.remember(0..<count, in: try await store())

        // The documents as stored, by name.
        var documents: [String: String] = [:]
        switch keeping {
        case .configMaps:
            let stored = cluster.configMaps
            try Cluster.expectEachUnderOneMebibyte(stored)
            documents = stored.mapValues(Cluster.document)
        case .files:
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
                documents[String(file.dropLast(".json".count))] = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            }
        }
        let shards = documents.filter { $0.key.contains("-phases-") }
        #expect(shards.count >= 4 && documents.count == shards.count + 1, "\(documents.keys.sorted())")
        #expect(documents[HookStatePart.values.name(for: Cluster.hook)] == #"{"phaseShards":\#(shards.count),"values":{}}"#)
        let bytesPerPod = Double(shards.values.reduce(0) { $0 + $1.utf8.count }) / Double(count)
        #expect(bytesPerPod < 66, "\(bytesPerPod) bytes per pod")

        // A new process: every pod comes back with its phase (so on_phase fires for none that
        // kept it), and those gone from the cluster are the tombstones.
        let second = try await store()
        #expect(!second.isDirty)
        let wrong = (0..<count).filter { second.phase(of: Cluster.uid($0)) != Cluster.phase($0) }
        #expect(wrong.isEmpty, "\(wrong.count) pods came back with another phase, the first \(wrong.prefix(3))")
        let gone = [7, 12_345, 49_999]
        let present = Set((0..<count).filter { !gone.contains($0) }.map(Cluster.uid))
        let missing = second.missing(in: .namespace("default")) { uid, _ in present.contains(uid) }
        #expect(missing.map(\.identity).sorted() == gone.map(Cluster.uid).sorted())
        let tombstone = try #require(missing.first { $0.identity == Cluster.uid(12_345) })
        #expect(tombstone.pod == HookStateStore.RememberedPod(namespace: "default", name: Cluster.podName(12_345), phase: "Running"))
        try await cluster.shutdown()
    }

    @Test func aRestartWithPhaseMemoryOverSeveralShardsFiresOnPhaseOnlyForWhatChangedMeanwhile() async throws {
        let cluster = try await Cluster.start()
        let count = Self.severalShards
        for index in 0..<count { try cluster.server.createPod(name: Cluster.podName(index), phase: Cluster.phase(index)) }
        let folder = try HooksFolder([Cluster.hook: """
            local fresh = 0
            function on_phase(pod, from, to)
              if from == nil then fresh = fresh + 1 else print("phase " .. pod.metadata.name .. " " .. from .. " " .. to) end
              if fresh == \(count) then print("all fresh") end
            end
            function on_delete(pod, ctx) print("delete " .. pod.metadata.name .. " " .. tostring(ctx.tombstone) .. " " .. pod.status.phase) end
            """])
        _ = try await HookStateDaemonTests.run(server: cluster.server, folder: folder, state: Self.inCluster) { _, lines in
            #expect(await lines.through("all fresh") == ["all fresh"])
        }
        #expect(cluster.configMaps.keys.filter { $0.contains("-phases-") }.count >= 2, "\(cluster.configMaps.keys.sorted())")
        try Cluster.expectEachUnderOneMebibyte(cluster.configMaps)

        // While kubelua is away: three pods start running, three are deleted.
        let changed = [1, 2, 4].map(Cluster.podName), deleted = [5, 7, 8].map(Cluster.podName)
        for name in changed { try cluster.server.setPhase(name: name, "Running") }
        for name in deleted { try cluster.server.delete(name: name) }
        let output = try await HookStateDaemonTests.run(server: cluster.server, folder: folder, state: Self.inCluster) { runtime, _ in
            await runtime.waitUntilIdle()
        }
        // No pod is new to the hook: on_phase only for the three, a tombstone for each deleted pod.
        #expect(Set(output.texts) == Set(changed.map { "phase \($0) Pending Running" } + deleted.map { "delete \($0) true Pending" }), "\(output.texts.prefix(10))")
        #expect(output.texts.count == 6 && output.failures.isEmpty)
        try await cluster.shutdown()
    }

    @Test func aChangeRewritesOnlyTheShardItIsInAndAValueOnlyTheValues() async throws {
        let cluster = try await Cluster.start()
        let store = try await cluster.store()
        try await Cluster.remember(0..<Self.severalShards, in: store)
        #expect(cluster.configMaps.count >= 3)

        var since = cluster.server.requests.count
        store.remember(Cluster.pod(3), phase: "Succeeded")
        #expect(await store.flush() == nil)
        let shard = cluster.shard(of: 3)
        #expect(cluster.requests(since: since) == ["update \(shard)"])
        #expect(Cluster.document(cluster.configMaps[shard]).contains(#""\#(Cluster.uid(3))":"S\#(Cluster.podName(3))""#))

        since = cluster.server.requests.count
        _ = store.set("alerted", Array("1".utf8))
        #expect(await store.flush() == nil)
        #expect(cluster.requests(since: since) == ["update \(HookStatePart.values.name(for: Cluster.hook))"])

        // Remembering what is remembered already changes nothing, so writes nothing.
        store.remember(Cluster.pod(3), phase: "Succeeded")
        #expect(!store.isDirty)
        try await cluster.shutdown()
    }

    @Test func aConflictOnOneShardIsReadAgainAndWrittenOverWithoutTouchingTheOthers() async throws {
        let cluster = try await Cluster.start()
        let store = try await cluster.store()
        try await Cluster.remember(0..<Self.severalShards, in: store)
        // Another writer (a second kubelua, say) changes pod 3's shard meanwhile.
        let other = try await cluster.store()
        other.remember(Cluster.pod(3), phase: "Failed")
        #expect(await other.flush() == nil)

        let since = cluster.server.requests.count
        store.remember(Cluster.pod(3), phase: "Succeeded")
        #expect(await store.flush() == nil)
        // A 409 on the stale version: the shard is read again and written over; no other is.
        let shard = cluster.shard(of: 3)
        #expect(cluster.requests(since: since) == ["update \(shard)", "get \(shard)", "update \(shard)"])
        let reloaded = try await cluster.store()
        #expect(reloaded.phase(of: Cluster.uid(3)) == "Succeeded" && reloaded.phase(of: Cluster.uid(4)) == "Pending")
        try await cluster.shutdown()
    }

    @Test func aReSpreadCutShortLosesNothingAndIsFinishedByTheNextWrite() async throws {
        let cluster = try await Cluster.start()
        let store = try await cluster.store()
        try await Cluster.remember(0..<8_000, in: store)
        #expect(cluster.configMaps.count == 2, "one shard holds them")

        // Pods that the re-spread to two shards moves: one changes, one is forgotten.
        let inNewShard = { (index: Int) in PhaseMemory(shardCount: 2).shard(of: Cluster.uid(index)) == 1 }
        let moving = (0..<8_000).filter(inNewShard)
        let (changed, forgotten) = (moving[0], moving[1])
        store.remember(Cluster.pod(changed), phase: "Failed")
        store.remember(Cluster.pod(forgotten), phase: nil)
        // The re-spread writes the new shard, then the values naming two shards, then shard 0
        // without what moved: that last write is refused, as if the process died before it.
        let updates = cluster.server.requests.filter { $0.kind == .update && $0.path.contains("/configmaps") }.count
        cluster.server.inject(.refuse(code: 403), on: .request(verb: "update", resource: "configmaps", namespace: "default"), .nth(updates + 2))
        let since = cluster.server.requests.count
        for index in 8_000..<16_000 { store.remember(Cluster.pod(index), phase: "Pending") }
        let refused = await store.flush()
        #expect("\(refused.map { "\($0)" } ?? "")".contains("403"))
        let base = HookStatePart.values.name(for: Cluster.hook)
        #expect(cluster.requests(since: since) == ["create", "update \(base)", "update \(base)-phases-0"])

        // Shard 0 still holds the old copies of what moved; they are dropped on load.
        let reloaded = try await cluster.store()
        #expect(reloaded.phase(of: Cluster.uid(changed)) == "Failed" && reloaded.phase(of: Cluster.uid(forgotten)) == nil)
        #expect((0..<8_000).filter { reloaded.phase(of: Cluster.uid($0)) == nil } == [forgotten])
        // Of the pods added meanwhile, those of the new shard were written; the others were
        // not yet (the write that stopped), so they would come to the hook again: at least once.
        #expect((8_000..<16_000).allSatisfy { (reloaded.phase(of: Cluster.uid($0)) != nil) == inNewShard($0) })
        #expect(reloaded.isDirty, "shard 0 is to be written without them")

        // The next write finishes the re-spread.
        let retried = cluster.server.requests.count
        #expect(await store.flush() == nil)
        #expect(cluster.requests(since: retried) == ["update \(base)-phases-0"])
        #expect(try await !cluster.store().isDirty)
        try await cluster.shutdown()
    }

    @Test func theDocumentOfTheVersionBeforeShardsLoadsAndMovesToAShardOnTheFirstWrite() async throws {
        let cluster = try await Cluster.start()
        let a = try cluster.server.createPod(name: "a", phase: "Running")
        let b = try cluster.server.createPod(name: "b", phase: "Running")
        let base = HookStatePart.values.name(for: Cluster.hook)
        // As the version before wrote it: phases and values in one document, a and b remembered
        // (b while it was Pending), and c, deleted since.
        let legacy = #"{"phases":{"\#(a.uid)":"default/a/Running","\#(b.uid)":"default/b/Pending","uid-c":"default/c/Running"},"values":{"seen":2}}"#
        try cluster.server.createObject(.configMaps, [
            "metadata": ["name": base, "namespace": "default", "labels": ["kubelua.io/state": "true"], "annotations": ["kubelua.io/hook": Cluster.hook]],
            "data": ["state.json": legacy],
        ])
        let folder = try HooksFolder([Cluster.hook: HookStateDaemonTests.hook])
        let output = try await HookStateDaemonTests.run(server: cluster.server, folder: folder, state: Self.inCluster) { runtime, lines in
            #expect(await lines.through("start false seen=2") == ["start false seen=2"])
            await runtime.waitUntilIdle()
        }
        #expect(Set(output.texts.dropFirst()) == ["phase b Pending Running", "delete c true Running"], "\(output.texts)")
        #expect(output.failures.isEmpty)
        let stored = cluster.configMaps
        #expect(Cluster.document(stored[base]) == #"{"phaseShards":1,"values":{"seen":4}}"#)
        let entries = [(a.uid, "Ra"), (b.uid, "Rb")].sorted { $0.0 < $1.0 }.map { #""\#($0.0)":"\#($0.1)""# }
        #expect(Cluster.document(stored[base + "-phases-0"]) == #"{"phases":{"default":{\#(entries.joined(separator: ","))}}}"#)
        try await cluster.shutdown()
    }
}
