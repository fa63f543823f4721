import JSONBytes
import Kube

/// What the cache holds per pod beside the rest of the process: the JSON kept, and the
/// container index kept with it in the same block (`JSONText`: (start, end) pairs of UInt32
/// after the bytes).
struct CacheFootprint {
    var pods = 0
    var jsonBytes = 0
    /// The pods' blocks: JSON and index (plus 32 bytes of header each, and malloc's rounding).
    var blockBytes = 0
    var indexPairs = 0
    /// The index's share of the blocks: 4 bytes per number.
    var indexBytes = 0

    /// The cache's pods as they are now.
    init(of cache: PodCache) {
        for pod in cache.snapshot().pods {
            pods += 1
            jsonBytes += pod.json.count
            blockBytes += pod.json.storedByteCount
            let numbers = pod.index.withUnsafePairs(\.count)
            indexPairs += numbers / 2
            indexBytes += numbers * 4
        }
    }

    init() {}

    var indexBytesPerPod: Double { pods == 0 ? 0 : Double(indexBytes) / Double(pods) }
    var indexPairsPerPod: Double { pods == 0 ? 0 : Double(indexPairs) / Double(pods) }
    var jsonBytesPerPod: Double { pods == 0 ? 0 : Double(jsonBytes) / Double(pods) }
}
