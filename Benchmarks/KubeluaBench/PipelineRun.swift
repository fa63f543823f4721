import FakeAPIServer
import Foundation
import Hooks
import Kube
import Logging

/// One pass of the real pipeline against the fake server: list N generated pods, then stream M
/// MODIFIED events (`touch`, which only bumps the resourceVersion) to one `_all` hook.
struct PipelineRun {
    let pods: Int
    let events: Int
    /// Events written per batch; the producer stays at most `window` batches ahead of dispatch
    /// so the server's per-watch queue (and with it our RSS) stays bounded.
    let batch = 1_000
    let window = 2

    struct Figures {
        var pods = 0
        var events = 0
        var cachedJSONBytes = 0
        var syncSeconds = 0.0
        /// Sync plus the initial adds handed to the hooks and handled.
        var syncIdleSeconds = 0.0
        var streamSeconds = 0.0
        var handledEvents = 0
        var failedCalls = 0
        var peakBacklog = 0
        var rssAfterSync = 0
        var rssPeak = 0
        /// The first min(pods, events) event lines, byte for byte as streamed.
        var referenceLines: URL?
    }

    func run() async throws -> Figures {
        var figures = Figures(pods: pods, events: events)
        let logger = { var l = Logger(label: "kubelua-bench"); l.logLevel = .warning; return l }()

        let server = FakeAPIServer()
        try await server.start()
        let generator = PodGenerator()
        for i in 0..<pods { try server.create(json: generator.bytes(i)) }
        let stored = server.pods
        figures.cachedJSONBytes = stored.reduce(0) { $0 + $1.json.count }

        let hooks = try Self.hooksFolder()
        defer { try? FileManager.default.removeItem(at: hooks) }
        let statistics = HookStatistics()
        let runtime = HookRuntime(root: hooks.path, environment: HookEnvironment(
            log: { _ in }, failures: { logger.error("hook failed: \($0.report)") }, statistics: statistics))
        try await runtime.loadAll()

        let client = try KubeClient(
            connection: KubeConnection(server: URL(string: server.baseURL)!, namespace: "default", origin: "kubelua-bench"),
            logger: logger)
        let updates = InformerUpdateBuffer()
        let (synced, syncedSignal) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
        // The consumer loop is HookDaemon's, plus noting when the first list is applied.
        let consumer = Task {
            for await update in updates {
                switch update {
                case .events(let batch): await runtime.dispatch(batch)
                case .synced: syncedSignal.yield(.now)
                }
            }
        }

        let clock = ContinuousClock()
        let start = clock.now
        let reflector = PodReflector(client: client, query: PodQuery(), logger: logger, deliver: updates.deliver)
        let watching = Task { await reflector.run() }
        var syncedAt = start
        for await instant in synced { syncedAt = instant; break }
        figures.syncSeconds = Self.seconds(start.duration(to: syncedAt))
        await runtime.waitUntilDispatched(resourceVersion: Int(server.currentResourceVersion) ?? 0)
        await runtime.waitUntilIdle()
        figures.syncIdleSeconds = Self.seconds(start.duration(to: clock.now))
        figures.rssAfterSync = MemoryStatus.peakResidentBytes()
        _ = await server.waitForRequest(.watch)

        let before = statistics.snapshot
        let firstVersion = (Int(server.currentResourceVersion) ?? 0) + 1
        let streamStart = clock.now
        var batchEnds: [Int] = []
        for i in 0..<events {
            let pod = stored[i % stored.count]
            try server.touch(namespace: pod.namespace, name: pod.name)
            if (i + 1) % batch == 0 || i + 1 == events {
                batchEnds.append(firstVersion + i)
                figures.peakBacklog = max(figures.peakBacklog, statistics.snapshot.queued)
                if batchEnds.count > window {
                    await runtime.waitUntilDispatched(resourceVersion: batchEnds[batchEnds.count - 1 - window])
                }
            }
        }
        await runtime.waitUntilDispatched(resourceVersion: firstVersion + events - 1)
        await runtime.waitUntilIdle()
        figures.streamSeconds = Self.seconds(streamStart.duration(to: clock.now))
        let after = statistics.snapshot
        figures.handledEvents = after.succeeded - before.succeeded
        figures.failedCalls = after.failed
        figures.rssPeak = MemoryStatus.peakResidentBytes()

        watching.cancel()
        updates.finish()
        await consumer.value
        try await client.shutdown()
        figures.referenceLines = try Self.writeFirstEventLines(
            server: server, stored: stored, count: min(stored.count, events), firstVersion: firstVersion)
        try await server.shutdown()
        return figures
    }

    static func hooksFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kubelua-bench-hooks-\(getpid())")
        let all = root.appendingPathComponent("_all")
        try FileManager.default.createDirectory(at: all, withIntermediateDirectories: true)
        try Data(HookScript.handler.utf8).write(to: all.appendingPathComponent("bench.lua"))
        return root
    }

    /// Rebuilds the lines of the first `count` events exactly as the server framed them
    /// (`{"type":"MODIFIED","object":…}`): `touch` only changes the resourceVersion, so each
    /// pod's stored JSON with its version set back to that event's is the streamed object.
    static func writeFirstEventLines(server: FakeAPIServer, stored: [FakePod], count: Int, firstVersion: Int) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kubelua-bench-events-\(getpid()).jsonl")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        for i in 0..<count {
            guard let pod = server.pod(namespace: stored[i].namespace, name: stored[i].name) else { continue }
            let object = ResourceVersionText.replace(in: pod.json, from: pod.resourceVersion, to: String(firstVersion + i))
            var line = Array("{\"type\":\"MODIFIED\",\"object\":".utf8)
            line += object
            line += Array("}\n".utf8)
            try handle.write(contentsOf: line)
        }
        return file
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
