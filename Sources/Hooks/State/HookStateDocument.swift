import Foundation

/// A hook's values document as it is stored: `{"lastTick":T,"phaseShards":N,"values":{key:
/// value...}}`, keys sorted so the same state is the same bytes. `lastTick` (absent until the
/// hook has a schedule that ran) is when its last `on_schedule` tick was due, in Unix seconds. `phaseShards` says how many shards of phase
/// memory there are (`PhaseShardDocument`), so a reader knows which to read and where each UID
/// belongs. The document of the versions before phase memory was sharded,
/// `{"phases":{uid:"namespace/name/Phase"},"values":{...}}`, still reads: its phases come back
/// as `.legacy`, to be moved to shards by the next write.
struct HookStateDocument {
    /// Where the phase memory is: in `phaseShards` shards, or in a legacy document itself.
    enum Phases {
        case sharded(Int)
        case legacy([String: HookStateStore.RememberedPod])
    }

    var values: [String: [UInt8]] = [:]
    var phases: Phases
    var lastTick: Double?

    init(parsing bytes: [UInt8]) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? [String: Any] else {
            throw HookStateError("the state document is not a JSON object")
        }
        for (key, value) in object["values"] as? [String: Any] ?? [:] {
            values[key] = Array(try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]))
        }
        if let tick = object["lastTick"] {
            guard let seconds = (tick as? NSNumber)?.doubleValue, seconds.isFinite else {
                throw HookStateError("the state document's lastTick is not a number of seconds: \(tick)")
            }
            lastTick = seconds
        }
        if let shards = object["phaseShards"] {
            guard let count = shards as? Int, (1...PhaseMemory.maximumShards).contains(count) else {
                throw HookStateError("the state document's phaseShards is not a number from 1 to \(PhaseMemory.maximumShards): \(shards)")
            }
            phases = .sharded(count)
            return
        }
        var legacy: [String: HookStateStore.RememberedPod] = [:]
        for (uid, entry) in object["phases"] as? [String: String] ?? [:] {
            let parts = entry.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { throw HookStateError("phase entry \(uid) is not namespace/name/phase: \(entry)") }
            legacy[uid] = HookStateStore.RememberedPod(namespace: String(parts[0]), name: String(parts[1]), phase: String(parts[2]))
        }
        phases = .legacy(legacy)
    }

    static func encoded(values: [String: [UInt8]], phaseShards: Int, lastTick: Double? = nil) -> [UInt8] {
        var out = Array("{".utf8)
        if let lastTick { out += Array(#""lastTick":\#(lastTick),"#.utf8) }
        out += Array(#""phaseShards":\#(phaseShards),"values":{"#.utf8)
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Self.quoted(key) + [UInt8(ascii: ":")] + values[key]!
        }
        out += Array("}}".utf8)
        return out
    }

    /// `text` as a JSON string. Most text here (UIDs, names, keys) is plain ASCII, quoted as it is
    /// without Foundation's round trip: phase shards quote thousands of strings per write.
    static func quoted(_ text: String) -> [UInt8] {
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        guard plain else {
            return Array(try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
        }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 2)
        out.append(UInt8(ascii: "\""))
        out += text.utf8
        out.append(UInt8(ascii: "\""))
        return out
    }
}

/// A state document or backend that cannot be read or written.
public struct HookStateError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
