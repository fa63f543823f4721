import Foundation

/// Strategic merge patch as the API server applies it to the built-in kinds: maps merge as in
/// a merge patch, and the lists Kubernetes marks `patchStrategy: merge` are merged element by
/// element on their merge key (`containers` by `name`, `ports` by `containerPort`, ...), so a
/// patch naming one container changes that container only. Other lists are replaced.
/// Directives: `$patch: delete` on a list element removes it, `$patch: replace` on a map or in
/// a list replaces instead of merging, `$deleteFromPrimitiveList/<list>` removes values from
/// a merged primitive list (`finalizers`); `$setElementOrder` and `$retainKeys` are ignored.
/// The merge keys are chosen by the list's field name, whatever kind is patched.
enum StrategicMergePatch {
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
        "env": "name", "ports": "containerPort", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "imagePullSecrets": "name", "conditions": "type", "ownerReferences": "uid", "hostAliases": "ip",
        "topologySpreadConstraints": "topologyKey", "resourceClaims": "name",
    ]
    /// Lists of strings merged as sets.
    static let mergedPrimitiveLists: Set<String> = ["finalizers"]

    static func apply(_ patch: [String: Any], to target: [String: Any]) -> [String: Any] {
        if patch["$patch"] as? String == "replace" { return withoutDirectives(patch) }
        var result = target
        for (key, value) in patch {
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let list = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let removed = (value as? [Any] ?? []).map { JSONCodec.encode($0) }
                result[list] = (result[list] as? [Any])?.filter { !removed.contains(JSONCodec.encode($0)) }
                continue
            }
            if key.hasPrefix("$") { continue }
            if value is NSNull {
                result[key] = nil
            } else if let map = value as? [String: Any] {
                if map["$patch"] as? String == "delete" {
                    result[key] = nil
                } else {
                    result[key] = apply(map, to: result[key] as? [String: Any] ?? [:])
                }
            } else if let list = value as? [Any] {
                result[key] = mergeList(list, into: result[key] as? [Any] ?? [], field: key)
            } else {
                result[key] = value
            }
        }
        return result
    }

    private static func mergeList(_ patch: [Any], into target: [Any], field: String) -> [Any] {
        if patch.contains(where: { ($0 as? [String: Any])?["$patch"] as? String == "replace" }) {
            return patch.filter { ($0 as? [String: Any])?["$patch"] == nil }
        }
        if mergedPrimitiveLists.contains(field) {
            var result = target
            let present = Set(target.map { JSONCodec.encode($0) })
            for value in patch where !present.contains(JSONCodec.encode(value)) { result.append(value) }
            return result
        }
        guard let key = mergeKeys[field] else { return patch.map { ($0 as? [String: Any]).map(withoutDirectives) ?? $0 } }
        var result = target
        for case let element as [String: Any] in patch {
            let identity = element[key].map { JSONCodec.encode($0) }
            let index = result.firstIndex { ($0 as? [String: Any])?[key].map { JSONCodec.encode($0) } == identity }
            if element["$patch"] as? String == "delete" {
                if let index { result.remove(at: index) }
            } else if let index {
                result[index] = apply(element, to: result[index] as? [String: Any] ?? [:])
            } else {
                result.append(withoutDirectives(element))
            }
        }
        return result
    }

    private static func withoutDirectives(_ map: [String: Any]) -> [String: Any] {
        map.filter { !$0.key.hasPrefix("$") }
    }
}
