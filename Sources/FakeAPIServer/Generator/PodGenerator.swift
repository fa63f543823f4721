/// Deterministic generator of realistic Kubernetes pod JSON (about 6 KB each), for benchmarks,
/// tests and the demo. Every index gives a different but reproducible pod: names, labels,
/// annotations, managedFields blobs, one or two containers (a quarter have a sidecar), env,
/// ports, resources, volumes, tolerations and a status with conditions and container statuses.
/// The output is compact (no newlines), as the API server sends it, and `FakeAPIServer.create`
/// accepts it as is (the server then assigns its own uid and resourceVersion).
///
/// No Foundation on purpose: it is fast and has the same output everywhere.
public struct PodGenerator: Sendable {
    public let seed: UInt64

    public init(seed: UInt64 = 0x6B75_6265_6C75_6121) {
        self.seed = seed
    }

    /// Pod number `index` as UTF-8 JSON.
    public func bytes(_ index: Int) -> [UInt8] {
        Array(json(index).utf8)
    }

    /// Pod number `index` as JSON text.
    public func json(_ index: Int) -> String {
        var g = Generator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        return g.pod(index: index)
    }
}
