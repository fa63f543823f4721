/// FNV-1a, 64 bits: the same number for the same text in every process (Swift's `Hasher` is
/// seeded per process), for whatever must land in the same place across restarts: a state's
/// name, a pod's phase shard, a pod's resync slice, a pod's shard of the hook work (`PodShard`).
public enum StableHash {
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
