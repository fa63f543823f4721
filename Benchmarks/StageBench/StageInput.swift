import FakeAPIServer
import Kube

/// The events every stage runs on: MODIFIED events over generated pods, as the API server frames
/// them, plus what the earlier stages make of them (so a stage can start from its own input).
struct StageInput {
    let events: Int
    /// The watch stream's bytes, one event per line.
    let stream: [UInt8]
    let frames: [JSONFrame]
    let watchEvents: [WatchEvent]
    /// Updates as the cache hands them on (old and new differ in their resourceVersion).
    let updates: [PodEvent]
    let averagePodBytes: Int

    init(events: Int, pods: Int = 2_000) throws {
        self.events = events
        let generator = PodGenerator()
        let bodies = (0..<min(pods, events)).map { generator.bytes($0) }
        var stream: [UInt8] = []
        for i in 0..<events {
            let pod = ResourceVersionEdit.bump(bodies[i % bodies.count], by: i / bodies.count + 1)
            stream += Array(#"{"type":"MODIFIED","object":"#.utf8) + pod + Array("}\n".utf8)
        }
        self.stream = stream
        var framer = JSONObjectFramer()
        frames = try framer.append(stream)
        watchEvents = try frames.map { try WatchEvent.parse($0) }
        var store = PodStore()
        for body in bodies { _ = store.apply(.added(try PodRecord.scan(body))) }
        updates = watchEvents.flatMap { store.apply($0) }
        averagePodBytes = bodies.reduce(0) { $0 + $1.count } / max(1, bodies.count)
    }
}

/// Rewrites a generated pod's resourceVersion so every event is a real change for the cache.
enum ResourceVersionEdit {
    static func bump(_ json: [UInt8], by round: Int) -> [UInt8] {
        let key = Array(#""resourceVersion":""#.utf8)
        guard let range = json.firstRange(of: key), let close = json[range.upperBound...].firstIndex(of: UInt8(ascii: "\"")) else {
            return json
        }
        var copy = json
        copy.replaceSubrange(range.upperBound..<close, with: Array("\(round)\(String(decoding: json[range.upperBound..<close], as: UTF8.self))".utf8))
        return copy
    }
}
