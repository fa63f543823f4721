import Kube

/// What the cache holds per pod beside the rest of the process: the JSON kept, and the
/// container index kept with it (`JSONContainerIndex`: (start, end) pairs of UInt32).
struct CacheFootprint {
    var pods = 0
    var jsonBytes = 0
    /// The JSON arrays' capacity: what their heap blocks hold, used or not.
    var jsonCapacityBytes = 0
    var indexPairs = 0
    /// The index arrays' storage: capacity × 4 bytes plus Swift's 32-byte array header each
    /// (malloc's own rounding and header not counted).
    var indexBytes = 0

    /// The cache's pods as they are now.
    init(of cache: PodCache) {
        for pod in cache.snapshot().pods {
            pods += 1
            jsonBytes += pod.json.count
            jsonCapacityBytes += pod.json.capacity
            indexPairs += pod.index.pairs.count / 2
            if pod.index.pairs.capacity > 0 { indexBytes += pod.index.pairs.capacity * 4 + Self.arrayHeaderBytes }
        }
    }

    init() {}

    /// A native Swift array's heap header on 64-bit: isa, reference counts, count, capacity.
    static let arrayHeaderBytes = 32

    var indexBytesPerPod: Double { pods == 0 ? 0 : Double(indexBytes) / Double(pods) }
    var indexPairsPerPod: Double { pods == 0 ? 0 : Double(indexPairs) / Double(pods) }
    var jsonBytesPerPod: Double { pods == 0 ? 0 : Double(jsonBytes) / Double(pods) }
}
