import Synchronization

/// `kube` calls made, per verb, resource and HTTP code (0: no answer): for logs and metrics.
public final class KubeCallStatistics: Sendable {
    public struct Key: Hashable, Sendable {
        public var verb: String
        public var resource: String
        public var code: Int

        public init(verb: String, resource: String, code: Int) {
            self.verb = verb
            self.resource = resource
            self.code = code
        }
    }

    private let counts = Mutex<[Key: Int]>([:])

    public init() {}

    public var snapshot: [Key: Int] { counts.withLock { $0 } }

    func count(verb: KubeCall.Verb, resource: String, code: Int) {
        counts.withLock { $0[Key(verb: verb.rawValue, resource: resource, code: code), default: 0] += 1 }
    }
}
