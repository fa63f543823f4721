import Synchronization

/// `kube` calls made, per hook, verb, resource and HTTP code (0: no answer), and calls refused as
/// outside their hook's reach, per hook, call and resource: for logs and metrics.
public final class KubeCallStatistics: Sendable {
    public struct Key: Hashable, Sendable {
        public var hook: String
        public var verb: String
        public var resource: String
        public var code: Int

        public init(hook: String, verb: String, resource: String, code: Int) {
            self.hook = hook
            self.verb = verb
            self.resource = resource
            self.code = code
        }
    }

    public struct RefusalKey: Hashable, Sendable {
        public var hook: String
        public var call: String
        public var resource: String
    }

    private let counts = Mutex<[Key: Int]>([:])
    private let refusals = Mutex<[RefusalKey: Int]>([:])

    public init() {}

    public var snapshot: [Key: Int] { counts.withLock { $0 } }
    public var refusalSnapshot: [RefusalKey: Int] { refusals.withLock { $0 } }

    func refused(hook: String, call: String, resource: String) {
        refusals.withLock { $0[RefusalKey(hook: hook, call: call, resource: resource), default: 0] += 1 }
    }

    func count(_ call: KubeCall, resource: String, code: Int) {
        counts.withLock { $0[Key(hook: call.hook, verb: call.verb.rawValue, resource: resource, code: code), default: 0] += 1 }
    }
}
