import Lua
import Synchronization

/// `http` helper requests per hook and outcome (`2xx` … `5xx`, or `failed`: no response), for metrics.
public final class HTTPRequestStatistics: Sendable {
    public struct Key: Hashable, Sendable {
        public var hook: String
        public var outcome: String
    }

    private let counts = Mutex<[Key: Int]>([:])

    public init() {}

    public var snapshot: [Key: Int] { counts.withLock { $0 } }

    /// Counts what a request came back with: a response table carries its status.
    func count(hook: String, _ result: LuaAsyncResult) {
        var outcome = "failed"
        if case .values(let values) = result, case .table(let response)? = values.first,
           case .integer(let status)? = response[.string("status")] {
            outcome = "\(status / 100)xx"
        }
        counts.withLock { $0[Key(hook: hook, outcome: outcome), default: 0] += 1 }
    }
}
