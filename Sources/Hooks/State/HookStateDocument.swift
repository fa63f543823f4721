import Foundation

/// A hook's state as it is stored: `{"values": {key: value...}, "phases": {uid: "namespace/name/Phase"...}}`,
/// keys sorted so the same state is the same bytes. A phase entry is one short string per pod,
/// so memory for 50,000 pods stays a few megabytes (see BENCHMARKS.md).
struct HookStateDocument: Equatable {
    var values: [String: [UInt8]]
    var phases: [String: HookStateStore.RememberedPod]

    init(values: [String: [UInt8]], phases: [String: HookStateStore.RememberedPod]) {
        self.values = values
        self.phases = phases
    }

    init(parsing bytes: [UInt8]) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? [String: Any] else {
            throw HookStateError("the state document is not a JSON object")
        }
        values = [:]
        for (key, value) in object["values"] as? [String: Any] ?? [:] {
            values[key] = Array(try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]))
        }
        phases = [:]
        for (uid, entry) in object["phases"] as? [String: String] ?? [:] {
            let parts = entry.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { throw HookStateError("phase entry \(uid) is not namespace/name/phase: \(entry)") }
            phases[uid] = HookStateStore.RememberedPod(namespace: String(parts[0]), name: String(parts[1]), phase: String(parts[2]))
        }
    }

    func encoded() -> [UInt8] {
        var out = Array(#"{"phases":{"#.utf8)
        for (index, uid) in phases.keys.sorted().enumerated() {
            let pod = phases[uid]!
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Self.quoted(uid) + [UInt8(ascii: ":")] + Self.quoted("\(pod.namespace)/\(pod.name)/\(pod.phase)")
        }
        out += Array(#"},"values":{"#.utf8)
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Self.quoted(key) + [UInt8(ascii: ":")] + values[key]!
        }
        out += Array("}}".utf8)
        return out
    }

    static func quoted(_ text: String) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
    }
}

/// A state document or backend that cannot be read or written.
public struct HookStateError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
