import FakeAPIServer
import Foundation
import Testing
@testable import Kube

/// Fault matrix rows about volume: many pods, large pods, many events, a consumer that lags.
/// Sizes are kept to what a test should cost; timings belong to the benchmark. The limit is
/// generous: on a loaded machine a debug build takes several times as long as on an idle one.
@Suite(.timeLimit(.minutes(3)))
struct ReflectorLoadTests {
    @Test("row 20: 10k pods listed in pages, 1 MiB pods, 20k events: all delivered once, in order, no relist")
    func manyPodsLargePodsManyEvents() async throws {
        let podCount = 10_000, largeCount = 3, eventCount = 20_000
        try await withReflectorHarness({ $0.historyLimit = 100_000 }) { h in
            for index in 0..<podCount { try h.server.createPod(name: "p\(index)") }
            let blob = String(repeating: "x", count: 1 << 20)
            for index in 0..<largeCount {
                try h.server.create([
                    "metadata": ["name": "large\(index)", "namespace": "default", "annotations": ["blob": blob]],
                    "spec": ["containers": [["name": "main", "image": "busybox"]]], "status": ["phase": "Pending"],
                ])
            }
            try h.startReflector()
            await h.waitForSynced()
            let listed = h.events.all
            #expect(listed.count == podCount + largeCount)
            #expect(Set(listed.map(\.pod.key)).count == podCount + largeCount)
            #expect(listed.allSatisfy { $0.kind == .add && $0.initial })
            #expect(listed.filter { $0.pod.json.count > 1 << 20 }.count == largeCount)
            #expect(h.requests(.list).count == (podCount + largeCount + 499) / 500)

            for index in 0..<eventCount { try h.server.touch(name: "p\(index % podCount)") }
            for index in 0..<largeCount { try h.server.touch(name: "large\(index)") }
            let watched = Array(await h.waitForEvents(listed.count + eventCount + largeCount).dropFirst(listed.count))

            #expect(watched.count == eventCount + largeCount)
            let versions = watched.compactMap { UInt64($0.resourceVersion) }
            #expect(versions.count == watched.count && zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "server order")
            #expect(watched.last?.resourceVersion == h.server.currentResourceVersion)
            // Each update's `old` is exactly what was delivered for that pod before.
            var last = Dictionary(uniqueKeysWithValues: listed.map { ($0.pod.key, $0.pod) })
            var broken = 0
            for event in watched {
                if event.kind != .update || event.old != last[event.pod.key] { broken += 1 }
                last[event.pod.key] = event.pod
            }
            #expect(broken == 0)
            #expect(watched.suffix(largeCount).allSatisfy { $0.pod.json.count > 1 << 20 })
            #expect(h.requests(.watch).count == 1)
            #expect(h.requests(.list).count == (podCount + largeCount + 499) / 500)
        }
    }

    @Test("row 21, without a backlog bound: a stalled consumer does not stop the watch; nothing is dropped; the backlog shows the lag")
    func stalledConsumerDoesNotStallTheWatch() async throws {
        let eventCount = 1_000
        try await withReflectorHarness { h in
            for index in 0..<10 { try h.server.createPod(name: "p\(index)") }
            let buffer = InformerUpdateBuffer()
            let consumed = Recorder<InformerUpdate>()
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            // Takes one update, then stalls until the gate opens: a hook stuck in Lua.
            let consumer = Task {
                for await update in buffer {
                    consumed.append(update)
                    if consumed.all.count == 1 { for await _ in gate { break } }
                }
            }
            defer { consumer.cancel() }
            try h.startReflector(alsoDeliverTo: buffer.deliver)
            await h.waitForSynced()
            for index in 0..<eventCount { try h.server.touch(name: "p\(index % 10)") }

            // The reflector read every event while the consumer sat on its first update.
            await h.waitForEvents(10 + eventCount)
            #expect(consumed.all.count == 1)
            // (The synced update may have been taken with the first one: consumers take all that waits.)
            #expect(buffer.backlog >= eventCount, "every event waits for the consumer")
            #expect(h.requests(.watch).count == 1)

            open.yield()
            let delivered = h.timeline.all.compactMap { if case .delivered(let update) = $0 { update } else { nil } }
            #expect(await consumed.wait(count: delivered.count) == delivered)
            #expect(buffer.backlog == 0)
        }
    }
}
