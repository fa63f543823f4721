import Hooks
import Kube
import Synchronization
import Testing

/// A runtime of one shard (`HookEnvironment.shard`), as `run --shards` runs one per shard over
/// one cache: its hooks get only its pods, keep their state per shard, and only shard 0's
/// arm schedules. `ShardedDaemonTests` runs them in daemons that hand each its part of the events.
@Suite(.timeLimit(.minutes(1))) struct ShardRuntimeTests {
    @Test func aShardsRuntimeHandsItsHooksOnlyItsPodsKeepsTheirStateApartAndLeavesSchedulesToShardZero() async throws {
        let folder = try HooksFolder(["default/h.lua": """
            hook = { schedule = "@every 30s" }
            function on_add(pod, ctx) print("add " .. pod.metadata.name .. (ctx.initial and " initial" or "")) end
            function on_schedule(ctx) print("tick") end
            """])
        let cache = PodCache(), clock = VirtualClock(), ledger = BacklogLedger(bound: nil)
        let names = (0..<20).map { "p\($0)" }
        cache.update { _ = $0.replace(with: names.enumerated().map { pod($1, rv: $0 + 1) }, at: "20", initial: true) }
        let stateNames = Mutex<[String]>([])
        var shards: [(output: HookOutput, runtime: HookRuntime)] = []
        for index in 0..<2 {
            let output = HookOutput()
            var environment = output.environment(ledger: ledger, clock: clock)
            environment.shard = PodShard(index, of: 2)
            environment.stateBackend = { name in
                stateNames.withLock { $0.append(name) }
                return MemoryStateBackend()
            }
            let runtime = HookRuntime(root: folder.root, environment: environment, cache: cache)
            #expect(try await runtime.loadAll().isEmpty)
            shards.append((output, runtime))
        }
        for (index, shard) in shards.enumerated() {
            await shard.runtime.waitUntilIdle()
            let mine = names.filter { PodShard.index(of: PodKey(namespace: "default", name: $0), count: 2) == index }
            #expect(!mine.isEmpty && mine.count < names.count)
            #expect(Set(shard.output.texts) == Set(mine.map { "add \($0) initial" }), "shard \(index)")
        }
        #expect(stateNames.withLock { $0 } == ["default/h.lua#shard-0-of-2", "default/h.lua#shard-1-of-2"])
        var ticks = HookSettingsDaemonTests.Lines(shards[0].output)
        _ = await ticks.next(shards[0].output.texts.count)
        clock.advance(by: .seconds(30))
        #expect(await ticks.next(1) == ["tick"])
        await shards[1].runtime.waitUntilIdle()
        #expect(!shards[1].output.texts.contains("tick"), "schedules run on shard 0 only")
    }

    /// The documented hash: 64-bit FNV-1a of the UTF-8 bytes of "namespace/name", mod N.
    @Test func aPodsShardIsFNV1a64OfNamespaceSlashNameModN() {
        #expect(StableHash.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a("foobar") == 0x8594_4171_f739_67e8)
        let key = PodKey(namespace: "default", name: "web-1")
        #expect(PodShard.index(of: key, count: 7) == Int(StableHash.fnv1a("default/web-1") % 7))
        #expect(PodShard(PodShard.index(of: key, count: 7), of: 7).contains(key))
        #expect(PodShard(3, of: 4).leaseName(id: "kubelua") == "kubelua-shard-3")
    }

    @Test func memberLeaseNamesAreValidObjectNamesAndDistinctForDistinctIdentities() {
        #expect(ShardMembership.memberLeaseName(id: "kubelua", identity: "kubelua-7d9f-x2") == "kubelua-member-kubelua-7d9f-x2")
        let odd = ShardMembership.memberLeaseName(id: "kubelua", identity: "Host_1a2b")
        let other = ShardMembership.memberLeaseName(id: "kubelua", identity: "host_1a2b")
        #expect(odd.hasPrefix("kubelua-member-host-1a2b-") && odd != other)
        for name in [odd, other, ShardMembership.memberLeaseName(id: "kubelua", identity: String(repeating: "é", count: 300))] {
            #expect(PodQuery.isObjectName(name), "\(name)")
        }
    }
}
