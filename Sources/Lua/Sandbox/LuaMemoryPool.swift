import CLua

/// A cap on the Lua memory of many states together (`--total-memory-limit`): every state built
/// with the pool adds what it allocates to one counter, and an allocation by script code that
/// would take the total past `limit` fails in that state only, as a memory error. Host pushes
/// may overshoot it, as they may a state's own cap (see `docs/sandbox.md`).
public final class LuaMemoryPool: @unchecked Sendable {
    // The counter is changed only through the C side's atomic builtins; `limit` never changes.
    let pointer: UnsafeMutablePointer<kl_pool>

    public init(limit: Int) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: kl_pool(used: 0, limit: max(1, limit)))
    }

    deinit { pointer.deallocate() }

    public var limit: Int { Int(pointer.pointee.limit) }
    /// Bytes all states of the pool hold now.
    public var used: Int { Int(kl_pool_used(pointer)) }
}
