import Kube

/// One of the documents a hook's state is kept in: the values of `state.set` (with the number
/// of phase shards), or one shard of its phase memory. Each is written on its own, so a change
/// rewrites only the documents it touched, and each stays under a ConfigMap's size limit.
public enum HookStatePart: Hashable, Sendable, CustomStringConvertible {
    case values
    case phases(shard: Int)

    /// `kubelua-state-<short hash of the hook path>`, with `-phases-<shard>` for a shard: the
    /// name the part has wherever it is kept (a ConfigMap, a file).
    public func name(for hook: String) -> String {
        let base = "kubelua-state-" + String(String(StableHash.fnv1a(hook), radix: 16).suffix(10))
        switch self {
        case .values: return base
        case .phases(let shard): return base + "-phases-\(shard)"
        }
    }

    public var description: String {
        switch self {
        case .values: "values"
        case .phases(let shard): "phase shard \(shard)"
        }
    }
}
