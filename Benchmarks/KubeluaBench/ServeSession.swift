import FakeAPIServer
import Foundation

/// The server child's end of the line protocol. Each command line gets one reply line, `ok`
/// with fields or `err` with a message:
///
///     touch N       N touches round robin over the pods     → ok <last resourceVersion>
///     version                                               → ok <current resourceVersion>
///     pace R N      compact the history, start N stamped events at R/s (PacedStream) in the
///                   background                              → ok
///     wait          wait for the paced stream to end        → ok <last rv> <sent> <seconds>
///                                                              <median, max stamp→publish ns>
///     stop          end the paced stream early, then as wait
///     lines PATH N  write the event lines of the last N touches, as streamed → ok <bytes>
///     sent PATH     write the last paced stream's events, one `namespace/name version stamp`
///                   a line                                  → ok <events>
///     stats         this process's usage                    → ok <CPU seconds> <peak RSS bytes>
///     checkpoint    the lowest version of the leader's checkpoint on the Lease default/kubelua,
///                   and the newest version of a pod         → ok <checkpoint, 0: none> <version>
///
/// The parent closing the pipe ends the session.
final class ServeSession {
    let server: FakeAPIServer
    let pods: [ServedPod]
    private var cursor = 0
    private var lastTouchVersion = 0
    private var paced: PacedStream?
    private var lastPaced: PacedStream.Outcome?

    init(server: FakeAPIServer, pods: [ServedPod]) {
        self.server = server
        self.pods = pods
    }

    /// Answers one command.
    func handle(_ line: String) async -> String {
        let words = line.split(separator: " ").map(String.init)
        do {
            switch (words.first ?? "", words.count) {
            case ("touch", 2): return "ok \(try touch(try Self.count(words[1])))"
            case ("version", 1): return "ok \(server.currentResourceVersion)"
            case ("pace", 3): return try pace(rate: try Self.count(words[1]), count: try Self.count(words[2]))
            case ("wait", 1): return await finishPacing(stop: false)
            case ("stop", 1): return await finishPacing(stop: true)
            case ("lines", 3): return "ok \(try writeLines(to: words[1], count: try Self.count(words[2])))"
            case ("sent", 2): return "ok \(try writeSent(to: words[1]))"
            case ("checkpoint", 1): return "ok \(checkpoint()) \(newestPodVersion())"
            case ("stats", 1): return "ok \(ProcessUsage.cpuSeconds()) \(ProcessUsage.peakResidentBytes())"
            default: return "err unknown command or wrong arguments: \(line)"
            }
        } catch {
            return "err \(error)"
        }
    }

    /// Stops a paced stream that is still running (the parent went away).
    func end() async {
        paced?.stop()
        _ = await paced?.outcome()
    }

    private func touch(_ count: Int) throws -> Int {
        guard paced == nil else { throw BenchFailure("a paced stream is running") }
        for _ in 0..<count {
            let pod = pods[cursor % pods.count]
            cursor += 1
            lastTouchVersion = Int(try server.touch(namespace: pod.namespace, name: pod.name).resourceVersion) ?? 0
        }
        return lastTouchVersion
    }

    private func pace(rate: Int, count: Int) throws -> String {
        guard paced == nil else { throw BenchFailure("a paced stream is running already") }
        // The history frees its oldest half at once every `historyLimit` events: milliseconds
        // under the store's lock, which would land in the latency measured. Emptying it now
        // pays that before the stream, and the next such trim comes only after 20,000 events.
        server.compact()
        paced = PacedStream(server: server, pods: pods, rate: rate, count: count)
        return "ok"
    }

    private func finishPacing(stop: Bool) async -> String {
        guard let paced else { return "err no paced stream" }
        if stop { paced.stop() }
        let outcome = await paced.outcome()
        self.paced = nil
        lastPaced = outcome
        if let failure = outcome.failure { return "err \(failure)" }
        let delays = outcome.stampToPublish.sorted()
        let median = delays.isEmpty ? 0 : delays[(delays.count - 1) / 2]
        return "ok \(outcome.lastVersion) \(outcome.sent) \(outcome.seconds) \(median) \(delays.last ?? 0)"
    }

    /// The lines of the last `count` touches exactly as the watch carried them: a touch is
    /// each of these pods' latest change, so their stored JSON is the object it streamed.
    private func writeLines(to path: String, count: Int) throws -> Int {
        guard count <= pods.count, count <= cursor else { throw BenchFailure("only the last \(min(cursor, pods.count)) touches can be written") }
        var bytes = 0
        let prefix = Array("{\"type\":\"MODIFIED\",\"object\":".utf8), suffix = Array("}\n".utf8)
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw BenchFailure("cannot create \(path)")
        }
        defer { try? file.close() }
        for j in 0..<count {
            let served = pods[(cursor - count + j) % pods.count]
            let expected = lastTouchVersion - (count - 1 - j)
            guard let pod = server.pod(namespace: served.namespace, name: served.name), pod.resourceVersion == String(expected) else {
                throw BenchFailure("\(served.namespace)/\(served.name) changed after its touch")
            }
            let line = prefix + pod.json + suffix
            try file.write(contentsOf: line)
            bytes += line.count
        }
        return bytes
    }

    /// The checkpoint annotation (`{"<watch>":"<version>",...}`) read by the server's own means.
    private func checkpoint() -> Int {
        let metadata = server.object(.leases, namespace: "default", name: "kubelua")?["metadata"] as? [String: Any]
        guard let value = (metadata?["annotations"] as? [String: String])?["kubelua.io/checkpoint"],
              let watches = (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: String] else { return 0 }
        return watches.values.compactMap { Int($0) }.min() ?? 0
    }

    private func newestPodVersion() -> Int {
        pods.compactMap { server.pod(namespace: $0.namespace, name: $0.name).flatMap { Int($0.resourceVersion) } }.max() ?? 0
    }

    private func writeSent(to path: String) throws -> Int {
        guard let events = lastPaced?.events else { throw BenchFailure("no paced stream has ended") }
        let text = events.map { "\(pods[$0.pod].namespace)/\(pods[$0.pod].name) \($0.version) \($0.stamp)\n" }.joined()
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw BenchFailure("cannot create \(path)") }
        return events.count
    }

    private static func count(_ word: String) throws -> Int {
        guard let value = Int(word), value >= 0 else { throw BenchFailure("not a count: \(word)") }
        return value
    }
}

/// A pod the child serves, by name.
struct ServedPod: Sendable {
    let namespace: String
    let name: String
}
