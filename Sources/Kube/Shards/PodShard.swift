/// `run --leader-elect --shards N`: one shard of the pods. A pod belongs to shard
/// FNV-1a-64(UTF-8 of "namespace/name") mod N, the same in every process and release, so every
/// replica agrees on it without talking (docs/leader-election.md, "Shards").
public struct PodShard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(_ index: Int, of count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// The shard of the pod `key` among `count`.
    public static func index(of key: PodKey, count: Int) -> Int {
        Int(StableHash.fnv1a(key.namespace + "/" + key.name) % UInt64(count))
    }

    public func contains(_ key: PodKey) -> Bool { Self.index(of: key, count: count) == index }

    /// The Lease of this shard: `<id>-shard-<index>`.
    public func leaseName(id: String) -> String { "\(id)-shard-\(index)" }

    public var description: String { "shard \(index) of \(count)" }
}
