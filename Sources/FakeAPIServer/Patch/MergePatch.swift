import Foundation

/// JSON Merge Patch (RFC 7386): objects merge key by key, `null` removes a key, anything else
/// (arrays included) replaces. (Strategic merge patches have their own applier,
/// `StrategicMergePatch`, which merges keyed lists.)
enum MergePatch {
    static func apply(_ patch: Any, to target: Any?) -> Any? {
        guard let patch = patch as? [String: Any] else { return patch }
        var result = target as? [String: Any] ?? [:]
        for (key, value) in patch {
            if isNull(value) {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key])
            }
        }
        return result
    }

    /// JSON null as JSONSerialization decodes it, or a Swift nil boxed in `Any`.
    private static func isNull(_ value: Any) -> Bool {
        if value is NSNull { return true }
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }
}
