import Kube

/// The pods a hook remembers, by UID, spread over shards by a stable hash of the UID, so that a
/// change rewrites one shard and no shard outgrows `shardLimit` bytes stored. When one would,
/// the shard count doubles and every shard splits in two: shard `k` keeps the UIDs whose hash
/// modulo the new count is `k`, the others go to `k + old count`.
struct PhaseMemory {
    typealias Pod = HookStateStore.RememberedPod

    /// What one shard's document may hold: under a ConfigMap's 1 MiB of data, with room for
    /// the JSON escaping of the document inside the ConfigMap and for its metadata.
    static let shardLimit = 768 * 1024
    /// Bounds the number of ConfigMaps (or files) one hook's phase memory spreads over.
    static let maximumShards = 64

    private(set) var shards: [[String: Pod]]
    /// Shards changed since their documents were last taken to be written.
    private(set) var dirty: Set<Int> = []

    init(shardCount: Int = 1) {
        shards = Array(repeating: [:], count: shardCount)
    }

    var shardCount: Int { shards.count }
    var count: Int { shards.reduce(0) { $0 + $1.count } }

    func shard(of uid: String) -> Int { Int(StableHash.fnv1a(uid) % UInt64(shards.count)) }

    subscript(uid: String) -> Pod? {
        get { shards[shard(of: uid)][uid] }
        set {
            let shard = shard(of: uid)
            guard shards[shard][uid] != newValue else { return }
            shards[shard][uid] = newValue
            dirty.insert(shard)
        }
    }

    /// Every remembered pod, by UID.
    var all: some Sequence<(uid: String, pod: Pod)> {
        shards.lazy.flatMap { $0.lazy.map { (uid: $0.key, pod: $0.value) } }
    }

    /// Takes in what stored shard `shard` holds. An entry that belongs in another shard is left
    /// over from a re-spread that stopped before this shard was rewritten: the shard it belongs
    /// in holds what is current (or, for a pod forgotten since, nothing), so it is dropped, and
    /// the shard is rewritten without it.
    mutating func load(shard: Int, _ pods: [String: Pod]) {
        for (uid, pod) in pods {
            if self.shard(of: uid) == shard { shards[shard][uid] = pod } else { dirty.insert(shard) }
        }
    }

    /// Marks every shard changed (memory taken from a legacy document, to be written in shards).
    mutating func markAllDirty() { dirty = Set(shards.indices) }

    mutating func markDirty(_ shard: Int) { dirty.insert(shard) }

    /// The documents of the shards changed since the last call, by shard, each at most
    /// `shardLimit` bytes: while one is larger, the shard count doubles (every shard then
    /// counts as changed). Past `maximumShards` it throws, and the changes stay to be taken.
    mutating func takeChanges() throws -> [(shard: Int, document: [UInt8])] {
        while true {
            let documents = dirty.sorted().map { (shard: $0, document: PhaseShardDocument.encoded(shards[$0])) }
            guard let full = documents.first(where: { $0.document.count > Self.shardLimit }) else {
                dirty = []
                return documents
            }
            guard shards.count * 2 <= Self.maximumShards else {
                throw HookStateError("phase memory of \(count) pods does not fit: shard \(full.shard) of \(shards.count) would hold \(full.document.count) bytes, over the \(Self.shardLimit) a shard may hold")
            }
            grow()
        }
    }

    private mutating func grow() {
        let spread = PhaseMemory(shardCount: shards.count * 2)
        var grown = spread.shards
        for shard in shards {
            for (uid, pod) in shard { grown[spread.shard(of: uid)][uid] = pod }
        }
        shards = grown
        markAllDirty()
    }
}
