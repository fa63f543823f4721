import Foundation

/// One shard of a hook's phase memory as it is stored: `{"phases":{namespace:{uid:entry}}}`,
/// keys sorted. Compact, since a shard holds thousands of pods: each namespace is written once,
/// and an entry is the pod's name behind a one-letter phase (`RName`: P Pending, R Running,
/// S Succeeded, F Failed, U Unknown); any other phase is written whole, `Phase/name` (a pod's
/// name has no `/`, so an entry with one is a phase in full).
enum PhaseShardDocument {
    static let codes: [String: Character] = ["Pending": "P", "Running": "R", "Succeeded": "S", "Failed": "F", "Unknown": "U"]
    static let phases = Dictionary(uniqueKeysWithValues: codes.map { ($0.value, $0.key) })

    static func encoded(_ pods: [String: HookStateStore.RememberedPod]) -> [UInt8] {
        var out = Array(#"{"phases":{"#.utf8)
        let byNamespace = Dictionary(grouping: pods, by: \.value.namespace)
        for (index, namespace) in byNamespace.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += HookStateDocument.quoted(namespace) + Array(":{".utf8)
            for (index, (uid, pod)) in byNamespace[namespace]!.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                let entry = codes[pod.phase].map { String($0) + pod.name } ?? pod.phase + "/" + pod.name
                out += HookStateDocument.quoted(uid) + [UInt8(ascii: ":")] + HookStateDocument.quoted(entry)
            }
            out.append(UInt8(ascii: "}"))
        }
        out += Array("}}".utf8)
        return out
    }

    static func parsing(_ bytes: [UInt8], part: HookStatePart) throws -> [String: HookStateStore.RememberedPod] {
        let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        guard let namespaces = object?["phases"] as? [String: Any] else {
            throw HookStateError("the state's \(part) is not a JSON object with phases by namespace")
        }
        var pods: [String: HookStateStore.RememberedPod] = [:]
        for (namespace, entries) in namespaces {
            guard let entries = entries as? [String: String] else {
                throw HookStateError("the state's \(part) holds namespace \(namespace) as something else than entries by UID")
            }
            for (uid, entry) in entries {
                if let slash = entry.lastIndex(of: "/") {
                    pods[uid] = HookStateStore.RememberedPod(namespace: namespace, name: String(entry[entry.index(after: slash)...]), phase: String(entry[..<slash]))
                } else if let code = entry.first, let phase = phases[code] {
                    pods[uid] = HookStateStore.RememberedPod(namespace: namespace, name: String(entry.dropFirst()), phase: phase)
                } else {
                    throw HookStateError("the state's \(part) has an entry for \(uid) that is neither a phase letter and a name nor phase/name: \(entry)")
                }
            }
        }
        return pods
    }
}
